"""The cover letter's "Noticed, not fixed here" section, from the
manifest's [[noticed]] entries: bugs next to the series that it leaves
alone.  An entry whose file the tree does not have is left out."""

import pathlib
import textwrap

from generator.manifest import Manifest

HEADING = 'Noticed, not fixed here'


def section(manifest: Manifest, tree: pathlib.Path) -> str:
    """The section with its heading and a blank line after it, or ''."""
    items = []
    for entry in manifest.noticed:
        if not (tree / entry.file).is_file():
            continue
        text = ' '.join(f'{entry.file}, {entry.function}(): {entry.text}'.split())
        items.append(textwrap.fill(text, 72, initial_indent='- ', subsequent_indent='  ',
                                   break_on_hyphens=False, break_long_words=False))
    if not items:
        return ''
    return f'{HEADING}\n{"=" * len(HEADING)}\n' + '\n'.join(items) + '\n\n'
