"""Checks that keep the Bahasa Indonesia catalogue whole.

- ``unwrapped_template_text``: visible text in a template that is not inside a translation
  tag (it would show in English to every user).
- ``catalogue_problems``: strings in the code that the catalogue lacks (it is stale), and
  entries without a translation or still marked fuzzy.
- ``untranslatable_calls``: a translation function called on anything but a string literal
  (an f-string, a variable, a concatenation), or called inside an f-string: makemessages
  extracts neither, so the text would show in English whatever the language.
"""

import ast
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib
from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"
# Text that is the same in every language.
ALLOWED = {"Peta Konvergensi", "Kemendagri", "PDF", "XLSX", "CSV"}
_PUNCTUATION = re.compile(r"[·•—–:;,.|()/]+")
_TAG = re.compile(r"<[^>]*>", re.S)
_ATTRIBUTE = re.compile(r'\b(?:title|alt|placeholder|aria-label)="([^"]*)"')
_WORD = re.compile(r"[A-Za-z]{2,}")
_TRANSLATING = {"translate", "trans", "blocktranslate", "blocktrans"}
_ENDING = {"endblocktranslate", "endblocktrans"}
_SKIP_BLOCKS = {"comment": "endcomment", "verbatim": "endverbatim"}
MARK = "\x00"
_ALLOWED_WORDS = {word for phrase in ALLOWED for word in phrase.split()}


def unwrapped_template_text(template: str) -> list[tuple[int, str]]:
    """(line, text) of visible words in ``template`` that no translation tag wraps."""
    # Flatten the template to what a browser shows, with each variable or translated
    # string replaced by a marker that holds no word, then look for words left over.
    flat, skip_until, in_block_translate = [], None, False
    for token in Lexer(template).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if skip_until:
                skip_until = None if name == skip_until else skip_until
            elif name in _SKIP_BLOCKS:
                skip_until = _SKIP_BLOCKS[name]
            elif name in {"blocktranslate", "blocktrans"}:
                in_block_translate = True
                flat.append(MARK)
            elif name in _ENDING:
                in_block_translate = False
            elif name in _TRANSLATING:
                flat.append(MARK)
            continue
        if skip_until or in_block_translate:
            continue
        if token.token_type == TokenType.VAR:
            flat.append(MARK)
        elif token.token_type == TokenType.TEXT:
            flat.append(token.contents)
    # Scripts, styles and code samples (file headers, commands) are not prose.
    text = re.sub(r"<(script|style|code|kbd)\b.*?</\1>", " ", "".join(flat), flags=re.S)
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        pieces = _ATTRIBUTE.findall(line) + [_TAG.sub(" ", line)]
        for piece in pieces:
            words = piece.replace(MARK, " ").strip()
            rest = _PUNCTUATION.sub(" ", words).split()
            if rest and not set(rest) <= _ALLOWED_WORDS and _WORD.search(words):
                found.append((number, " ".join(words.split())))
    return found


def unwrapped_in_templates(directory: Path = ROOT / "templates") -> list[str]:
    problems = []
    for path in sorted(directory.rglob("*.html")):
        for line, text in unwrapped_template_text(path.read_text(encoding="utf-8")):
            problems.append(f"{path.relative_to(ROOT)}:{line}: not translatable: {text!r}")
    return problems


def catalogue_problems(*, extra_source: str | None = None) -> list[str]:
    """Run makemessages on a copy of the code and compare with the committed catalogue.

    ``extra_source`` is Python added to the copy (the tests use it to show that a new,
    unextracted string is caught)."""
    problems = []
    committed = polib.pofile(str(CATALOGUE))
    for entry in committed.untranslated_entries():
        problems.append(f"untranslated: {entry.msgid!r}")
    for entry in committed.fuzzy_entries():
        problems.append(f"fuzzy (needs review): {entry.msgid!r}")
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "project"
        shutil.copytree(
            ROOT,
            copy,
            ignore=shutil.ignore_patterns(
                ".venv",
                ".git",
                "tests",
                "staticfiles",
                "test-artifacts",
                "*.sqlite3",
                "__pycache__",
            ),
        )
        if extra_source is not None:
            (copy / "convergence" / "zz_extra_source.py").write_text(extra_source, encoding="utf-8")
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                "id",
                "--no-obsolete",
                "--ignore=staticfiles",
                "--ignore=test-artifacts",
            ],
            cwd=copy,
            check=True,
            capture_output=True,
            env={"PATH": "/usr/bin:/bin", "DEBUG": "1", "PYTHONPATH": str(copy)},
        )
        fresh = polib.pofile(str(copy / "locale" / "id" / "LC_MESSAGES" / "django.po"))
    known = {(entry.msgctxt, entry.msgid) for entry in committed}
    for entry in fresh:
        if (entry.msgctxt, entry.msgid) not in known:
            problems.append(f"not in the catalogue (run `make messages`): {entry.msgid!r}")
    return problems


TRANSLATION_FUNCTIONS = {
    "gettext": 1,
    "gettext_lazy": 1,
    "gettext_noop": 1,
    "ngettext": 2,
    "ngettext_lazy": 2,
    "pgettext": 2,
    "pgettext_lazy": 2,
    "npgettext": 3,
    "npgettext_lazy": 3,
}


# The names makemessages (xgettext) extracts: ``_``, the functions' own names. A call through
# any other alias (``gettext_lazy as _lazy``) is never extracted.
EXTRACTED_NAMES = {"_", *TRANSLATION_FUNCTIONS}


def untranslatable_calls_in(source: str, filename: str = "<source>") -> list[tuple[int, str]]:
    """(line, reason) of each translation call in ``source`` that makemessages cannot
    extract. The translation functions are those imported from django.utils.translation,
    under whatever name (``_``, ``_lazy``...)."""
    tree = ast.parse(source, filename)
    names: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                if alias.name in TRANSLATION_FUNCTIONS:
                    names[alias.asname or alias.name] = TRANSLATION_FUNCTIONS[alias.name]
    problems = []

    def called_name(call: ast.Call) -> str | None:
        if isinstance(call.func, ast.Name) and call.func.id in names:
            return call.func.id
        return None

    def visit(node, inside_fstring=False):
        if isinstance(node, ast.Call) and (name := called_name(node)):
            literals = names[name]
            arguments = node.args[:literals]
            if name not in EXTRACTED_NAMES:
                problems.append((node.lineno, f"{name}() is an alias makemessages does not read"))
            elif inside_fstring:
                problems.append((node.lineno, f"{name}() inside an f-string"))
            elif len(arguments) < literals or not all(
                isinstance(arg, ast.Constant) and isinstance(arg.value, str) for arg in arguments
            ):
                problems.append((node.lineno, f"{name}() on something other than a literal"))
        for child in ast.iter_child_nodes(node):
            visit(child, inside_fstring or isinstance(node, ast.JoinedStr))

    visit(tree)
    return problems


def untranslatable_calls(directory: Path = ROOT) -> list[str]:
    """``untranslatable_calls_in`` over the project's own Python code."""
    skipped = {".venv", "tests", "migrations", "staticfiles", "test-artifacts", ".git"}
    problems = []
    for path in sorted(directory.rglob("*.py")):
        if skipped.intersection(path.relative_to(directory).parts):
            continue
        for line, reason in untranslatable_calls_in(path.read_text(encoding="utf-8"), str(path)):
            problems.append(f"{path.relative_to(directory)}:{line}: {reason}")
    return problems


def compiled_catalogue_problems() -> list[str]:
    """Entries whose compiled translation (the committed .mo, which Django reads) differs
    from the catalogue's: a .mo not rebuilt, or a catalogue msgfmt refused to compile
    (e.g. two plural forms where Indonesian has one)."""
    committed = polib.pofile(str(CATALOGUE))
    compiled = {
        (entry.msgctxt, entry.msgid): entry.msgstr_plural or entry.msgstr
        for entry in polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    }
    problems = []
    for entry in committed.translated_entries():
        expected = entry.msgstr_plural or entry.msgstr
        if compiled.get((entry.msgctxt, entry.msgid)) != expected:
            problems.append(
                f"not compiled (run compilemessages and read its errors): {entry.msgid!r}"
            )
    return problems
