"""The pinned public sources of the corpus, with their genres, years and licences."""

from __future__ import annotations

from dataclasses import dataclass

from human_corpus.parsers import (
    parse_acl_paper,
    parse_bbc,
    parse_gutenberg,
    parse_html_page,
    parse_newsgroup,
    parse_reuters,
    parse_rst,
    parse_stackexchange,
)
from human_corpus.text import Parser

# --------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class GitInput:
    """Files at a pinned commit of a GitHub repository, read from its local mirror."""

    repo: str
    commit: str
    paths: tuple[str, ...]
    """Exact file paths, or folder prefixes ending in '/'."""
    pattern: str = r".*"
    """Regular expression a file path must match (applied to prefix listings)."""

    def mirror_name(self) -> str:
        return self.repo.replace("/", "+")


@dataclass(frozen=True)
class DebianInput:
    """Files inside a Debian binary package."""

    package: str
    version: str
    pattern: str


@dataclass(frozen=True)
class PypiInput:
    """Files inside a PyPI source distribution."""

    project: str
    version: str
    pattern: str


@dataclass(frozen=True)
class Source:
    slug: str
    genre: str
    description: str
    licence: str
    years: str
    cap: int
    """Most words taken from this source."""
    inputs: GitInput | DebianInput | PypiInput
    parser: Parser


@dataclass(frozen=True)
class Book:
    """A Project Gutenberg e-text kept in a GITenberg repository."""

    slug: str
    genre: str
    title: str
    years: str
    repo: str
    commit: str
    path: str

    def source(self) -> Source:
        return Source(
            slug=self.slug,
            genre=self.genre,
            description=f"{self.title} (Project Gutenberg e-text via GITenberg)",
            licence="Public domain in the USA (Project Gutenberg licence boilerplate stripped)",
            years=self.years,
            cap=BOOK_CAPS[self.genre],
            inputs=GitInput(f"GITenberg/{self.repo}", self.commit, (self.path,)),
            parser=parse_gutenberg,
        )


BOOK_CAPS = {"fiction": 40_000, "essays_letters": 50_000}

# fmt: off
BOOKS: tuple[Book, ...] = (
    # slug, genre, title, years, GITenberg repository, commit, file
    Book("austen-pride-and-prejudice", "fiction",
         "Jane Austen, Pride and Prejudice", "1813",
         "Pride-and-Prejudice_1342",
         "81db45c9c48c592f0b77f01fc59e677ad0a5634e", "1342-0.txt"),
    Book("melville-moby-dick", "fiction",
         "Herman Melville, Moby-Dick", "1851",
         "Moby-Dick--Or-The-Whale_2701",
         "bdf1948e6cd00963730971e5624e764a35f238c3", "2701-0.txt"),
    Book("eliot-middlemarch", "fiction",
         "George Eliot, Middlemarch", "1871-1872",
         "Middlemarch_145",
         "39add53d31f10ba5cecdcbe8c095f90b25fd4b3f", "145.txt"),
    Book("london-call-of-the-wild", "fiction",
         "Jack London, The Call of the Wild", "1903",
         "The-Call-of-the-Wild_215",
         "c1fcf9ec7af90edd09a7a2d3b6f1354b153494d0", "215-0.txt"),
    Book("wharton-house-of-mirth", "fiction",
         "Edith Wharton, The House of Mirth", "1905",
         "The-House-of-Mirth_284",
         "d7d6c9a3af8bb46224293854c97d8d0c927ea111", "284.txt"),
    Book("forster-room-with-a-view", "fiction",
         "E. M. Forster, A Room with a View", "1908",
         "A-Room-with-a-View_2641",
         "90bad31bed449399805e2362384131a48cf52826", "2641-0.txt"),
    Book("joyce-dubliners", "fiction",
         "James Joyce, Dubliners", "1914",
         "Dubliners_2814",
         "05bf50571cba48fc1db1f1c0fe0f663269cb241b", "2814-0.txt"),
    Book("wharton-age-of-innocence", "fiction",
         "Edith Wharton, The Age of Innocence", "1920",
         "The-Age-of-Innocence_541",
         "28e8179a3fc40a92d4eadbaf33a45aa6ec2c895c", "541.txt"),
    Book("lewis-main-street", "fiction",
         "Sinclair Lewis, Main Street", "1920",
         "Main-Street_543",
         "c09303360dde2c0bcf4c183670ced35a20f1bcc1", "543-0.txt"),
    Book("crevecoeur-letters-american-farmer", "essays_letters",
         "Crevecoeur, Letters from an American Farmer (intro. by W. B. Blake)", "1782, 1912",
         "Letters-from-an-American-Farmer_4666",
         "a4d859608c4af2fb615a4f52596175300c72a0a3", "4666.txt"),
    Book("thoreau-walden", "essays_letters",
         "Henry David Thoreau, Walden and Civil Disobedience", "1849-1854",
         "Walden-and-On-The-Duty-Of-Civil-Disobedience_205",
         "0efbef2325160440b0a7ca7e5130ef566a969985", "205-0.txt"),
    Book("beethoven-letters-vol2", "essays_letters",
         "Beethoven's Letters 1790-1826, vol. 2 (tr. Lady Wallace)", "1790-1826, tr. 1866",
         "Beethoven-s-Letters-1790-1826-Volume-2_13272",
         "3484c039b1416cf01897f8b517ab0228bb642fae", "13272.txt"),
    Book("stevenson-virginibus-puerisque", "essays_letters",
         "Robert Louis Stevenson, Virginibus Puerisque and Other Papers", "1881",
         "Virginibus-Puerisque-and-Other-Papers_386",
         "74d04fc405d623dd1cff550ea8ddae120ed314d8", "386-0.txt"),
    Book("dubois-souls-of-black-folk", "essays_letters",
         "W. E. B. Du Bois, The Souls of Black Folk", "1903",
         "The-Souls-of-Black-Folk_408",
         "3cea9665d80cf2b395bb7ed79e76d06459628aa0", "408.txt"),
    Book("chesterton-heretics", "essays_letters",
         "G. K. Chesterton, Heretics", "1905",
         "Heretics_470",
         "ff64f0a524719381d7bb216646c296774631b8db", "470.txt"),
    Book("chesterton-orthodoxy", "essays_letters",
         "G. K. Chesterton, Orthodoxy", "1908",
         "Orthodoxy_130",
         "5cace3ff86c29787cbd9a15c73200c9e2184b8b5", "130.txt"),
    Book("russell-proposed-roads-to-freedom", "essays_letters",
         "Bertrand Russell, Proposed Roads to Freedom", "1918",
         "Proposed-Roads-to-Freedom_690",
         "54cd377d91c2cf74659bb0c88ec0ef9d1a1cce13", "690.txt"),
)
# fmt: on

SOURCES: tuple[Source, ...] = (
    *(book.source() for book in BOOKS),
    # journalism
    Source(
        slug="bbc-news-2004-2005",
        genre="news",
        description="BBC News articles, 5 topics (Greene & Cunningham, ICML 2006)",
        licence="Copyright BBC; distributed by UCD for research use",
        years="2004-2005",
        cap=220_000,
        inputs=GitInput(
            "dejanbatanjac/bbc-article-classify-bert",
            "8265dc84e88b82b87ce7f5b2df5bbbb1159ae922",
            ("bbc/",),
            r"bbc/\w+/\d+\.txt$",
        ),
        parser=parse_bbc,
    ),
    Source(
        slug="reuters-21578",
        genre="news",
        description="Reuters-21578 newswire stories (Lewis, Distribution 1.0)",
        licence="Copyright Reuters Ltd.; free distribution for research purposes only",
        years="1987",
        cap=120_000,
        inputs=GitInput(
            "loki86/ksr_zadanie1V2",
            "d16457fd9d6d2b623fffc163746092b89a6e2fef",
            ("",),
            r"reut2-0(?:0[0-24-9]|1\d|20)\.sgm$",
        ),
        parser=parse_reuters,
    ),
    # technical documentation
    Source(
        slug="django-2.2-docs",
        genre="technical",
        description="Django 2.2 documentation (reST sources in the sdist, release notes excluded)",
        licence="BSD-3-Clause (Django Software Foundation)",
        years="2005-2019",
        cap=180_000,
        inputs=PypiInput("Django", "2.2", r"^[^/]+/docs/(?!releases/|man/)[\w/.-]+\.txt$"),
        parser=parse_rst,
    ),
    Source(
        slug="flask-1.0.2-docs",
        genre="technical",
        description="Flask 1.0.2 documentation (reST sources in the sdist)",
        licence="BSD-3-Clause (Pallets)",
        years="2010-2018",
        cap=60_000,
        inputs=PypiInput("Flask", "1.0.2", r"^[^/]+/docs/[\w/.-]+\.rst$"),
        parser=parse_rst,
    ),
    Source(
        slug="securing-debian-manual",
        genre="technical",
        description="Securing Debian Manual 3.19 (harden-doc, English HTML)",
        licence="GPL-2+ (Javier Fernández-Sanguino Peña et al.)",
        years="2001-2018",
        cap=90_000,
        inputs=DebianInput("harden-doc", "3.19+nmu1", r"html/en-US/(?!changelog)[\w.-]+\.html$"),
        parser=parse_html_page,
    ),
    Source(
        slug="lua-5.1-reference-manual",
        genre="technical",
        description="Lua 5.1 Reference Manual (lua5.1-doc)",
        licence="MIT (Lua.org, PUC-Rio)",
        years="2006-2012",
        cap=30_000,
        inputs=DebianInput("lua5.1-doc", "5.1.5-9", r"doc/(?:manual|readme)\.html$"),
        parser=parse_html_page,
    ),
    # forums and Q&A
    Source(
        slug="20-newsgroups-bydate",
        genre="forum_qa",
        description="20 Newsgroups, bydate version (Usenet posts; headers, quotes, signatures removed)",
        licence="No explicit licence; posts by their authors; widely redistributed for research use",
        years="1993",
        cap=250_000,
        inputs=GitInput(
            "spoddutur/spark-ml-dashboard",
            "d95a19293f4cca408ae9c889921b91287f1514ba",
            ("data/",),
            r"data/20news-bydate-(?:train|test)/[\w.-]+/\d+$",
        ),
        parser=parse_newsgroup,
    ),
    Source(
        slug="beer-stackexchange",
        genre="forum_qa",
        description="Beer, Wine & Spirits Stack Exchange questions and answers (2017 data dump, Posts.xml)",
        licence="CC BY-SA 3.0 (Stack Exchange user contributions)",
        years="2014-2017",
        cap=80_000,
        inputs=GitInput(
            "kevswanberg/beer_tentrr", "9573647bff33c61bdce2f07a9000a4098fd3074d", ("Posts.xml",)
        ),
        parser=parse_stackexchange,
    ),
    Source(
        slug="coffee-stackexchange",
        genre="forum_qa",
        description="Coffee Stack Exchange questions and answers (2015 data dump, Posts.xml)",
        licence="CC BY-SA 3.0 (Stack Exchange user contributions)",
        years="2015",
        cap=30_000,
        inputs=GitInput(
            "Yoav-Shafir/Elasticsearch-Coffee-Search-Engine-JS",
            "97e93c92aaa379fed6d0ee9be94b2024371d6aba",
            ("Posts.xml",),
        ),
        parser=parse_stackexchange,
    ),
    Source(
        slug="datascience-stackexchange",
        genre="forum_qa",
        description="Data Science Stack Exchange meta posts (2017 data dump, Posts.xml)",
        licence="CC BY-SA 3.0 (Stack Exchange user contributions)",
        years="2014-2017",
        cap=20_000,
        inputs=GitInput(
            "stat4decision/python-avr2017", "52f505dc61b5dcba3234045b9a194119e19b883a", ("Posts.xml",)
        ),
        parser=parse_stackexchange,
    ),
    # academic
    Source(
        slug="acl-anthology-scisummnet",
        genre="academic",
        description="ACL Anthology papers, full text (CL-SciSumm 2019 / ScisummNet reference papers)",
        licence="CC BY 4.0 (CL-SciSumm corpus); papers © ACL, ACL Anthology terms",
        years="1980-2013",
        cap=340_000,
        inputs=GitInput(
            "WING-NUS/scisumm-corpus",
            "1dd68e44df5c94cc767cc301cd04e61c52e4bf68",
            ("data/Training-Set-2019/Task1/",),
            r"/Reference_XML/[A-Z]\d{2}-\d{4}\.xml$",
        ),
        parser=parse_acl_paper,
    ),
)
