"""Reading a page as a person does: its visible text, in one line."""

import re


def text(response) -> str:
    html = re.sub(r"<(script|style|svg)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())
