"""Word lists and compiled patterns the recognizer's rules are made of.

Everything here is built at import, except the patterns only some texts need,
which are compiled on first use. Nothing is specific to one corpus: the lists
are the vocabulary of news writing in English (titles before names, verbs of
saying, words that make a capitalised run an organisation, the nouns that name
agreements).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable


def words(text: str) -> list[str]:
    """A word list written as one whitespace-separated string."""
    return text.split()


def is_capital(char: str) -> bool:
    """An upper-case or title-case character: what a capitalised word starts with."""
    return char.isupper() or char.istitle()


def _char_class(chars: Iterable[str]) -> str:
    """A regex character class of ``chars`` (in code point order), runs written as ranges."""
    ranges: list[tuple[int, int]] = []
    for code in map(ord, chars):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    parts = []
    for lo, hi in ranges:
        parts.append(
            re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}"
        )
    return "[" + "".join(parts) + "]"


def _capitals_below(limit: int) -> str:
    """A character class of every capital below code point ``limit``."""
    return _char_class(filter(is_capital, map(chr, range(limit))))


#: Capitals of Latin-1, the only ones in nearly every English article.
UPPER_LATIN1 = _capitals_below(0x100)


@functools.cache
def upper() -> str:
    """Every capital of the BMP (Python's ``re`` has no ``\\p{Lu}``), built on first use."""
    return _capitals_below(0x10000)


#: Han, kana and hangul: names in these scripts are found through the gazetteer.
_CJK_RANGES = ("\u3040\u30ff", "\u3400\u4dbf", "\u4e00\u9fff", "\uac00\ud7af", "\uf900\ufaff")
CJK = "[" + "".join(f"{first}-{last}" for first, last in _CJK_RANGES) + "]"


def is_cjk(char: str) -> bool:
    """A character of the class :data:`CJK`, told without compiling it (which is slow)."""
    return any(first <= char <= last for first, last in _CJK_RANGES)


# -- capitalised runs ---------------------------------------------------------------------------

#: Abbreviated titles keep their full stop inside the token ("Mr. Smith", "St. Louis").
_ABBREV = (
    r"(?:Mr|Mrs|Ms|Dr|Prof|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|Cpl|Adm|Maj|Rev|Fr|St|Mt|Ft|Jr|Sr)\."
)
_CONNECTOR = (
    r"(?:of(?:[ \u00a0]the)?|de|da|del|della|dei|degli|di|du|van|von|der|den|dos|ter|zu|bin|ibn|"
    r"al|el|arap|y|la|le)"
)


class CapitalPatterns:
    """The patterns that look for capitals, written around one character class of them.

    The class of every capital in the BMP has some 600 items and is pasted into
    these patterns over thirty times, so compiling them is most of what importing
    the recognizer used to cost. A text without a capital beyond Latin-1 (nearly
    every English article) is matched with the same patterns written around the
    Latin-1 capitals, which compile in a fraction of the time and match exactly
    alike there: a character class is only ever tested on characters of the text.
    See :func:`capital_patterns`.
    """

    def __init__(self, upper: str) -> None:
        #: U.S., U.K., D.C. (two or more single letters with stops).
        acronym = rf"{upper}\.(?:{upper}\.)+"
        #: A single initial inside a name ("George W. Bush"), only when a capital follows.
        initial = rf"{upper}\.(?=[ \u00a0]{upper})"
        #: A capitalised word, with inner apostrophes and hyphens ("O'Connor",
        #: "Indo-Pacific"), but not a possessive "'s", which ends the word.
        word = rf"{upper}\w*(?:(?:['’]|[-\u2010\u2011])(?!s\b)\w+)*"
        self.cap_token = cap_token = rf"(?:{_ABBREV}|{acronym}|{initial}|{word})"
        #: A run of capitalised words on one line, joined by single spaces and lower-case
        #: connectors ("Association of Southeast Asian Nations", "Ho Chi Minh City").
        self.chunk = re.compile(
            rf"(?<![\w'’.-]){cap_token}(?:[ \u00a0]+(?:{_CONNECTOR}[ \u00a0]+)?{cap_token})*"
        )
        self.token = re.compile(cap_token + r"|\S+")
        #: A dateline at the start of a line: "TOKYO (Kyodo) –", "WASHINGTON, June 3 -".
        self.dateline = re.compile(
            rf"^(?P<place>{upper}{{2,}}(?:[ \u00a0]{upper}{{2,}})*)"
            r"(?=[ \u00a0]*(?:\(|,|—|–|-|_[ \u00a0]))",
            re.MULTILINE,
        )
        #: A byline line: "By Aldgra Fredly".
        self.byline = re.compile(
            rf"^[ \t]*(?:By|BY|by)[ \u00a0]+(?P<name>{word}(?:[ \u00a0]+{word}){{1,3}})[ \t]*$",
            re.MULTILINE,
        )
        #: Coordinated features: "East and South China Seas", "Spratly and Paracel island groups".
        self.coordination = re.compile(
            rf"(?<![\w-])(?P<first>{word})[ \u00a0]+and[ \u00a0]+(?:the[ \u00a0]+)?"
            rf"(?P<second>{word}(?:[ \u00a0]+{word})*?)[ \u00a0]+"
            r"(?P<kind>Seas|seas|Sea|sea|Islands|islands|island[ \u00a0]+groups|Rivers|rivers|"
            r"Oceans|oceans|Mountains|mountains)(?![\w-])"
        )
        #: "the island of Java", "the city of Iquitos": the name after is a place.
        self.place_of = re.compile(
            r"(?<![\w-])(?:island|city|town|village|state|province|region|port|capital|county|"
            r"district|prefecture|territory|kingdom|republic|emirate)[ \u00a0]+of[ \u00a0]+"
            rf"(?P<name>{word}(?:[ \u00a0]+{word}){{0,3}})"
        )

    @functools.cached_property
    def of_org(self) -> re.Pattern[str]:
        """After a name: "of the National University", "from the Institute of ...".

        Compiled on first use: most articles never need it.
        """
        return re.compile(
            r",?[ \u00a0]+(?:of|from)[ \u00a0]+(?:the[ \u00a0]+)?"
            rf"(?P<org>{self.cap_token}(?:[ \u00a0]+{self.cap_token}){{0,5}})"
        )


#: The patterns for a text with no capital beyond Latin-1 (see :func:`capital_patterns`).
LATIN1_CAPITALS = CapitalPatterns(UPPER_LATIN1)


@functools.cache
def all_capitals() -> CapitalPatterns:
    """The patterns written around every capital of the BMP, compiled on first use."""
    return CapitalPatterns(upper())


#: Every ASCII byte: deleted from a text's UTF-8, they leave its other characters.
_ASCII_BYTES = bytes(range(0x80))


def beyond_ascii(text: str) -> set[str]:
    """The distinct characters of ``text`` beyond ASCII (none in most English articles)."""
    if text.isascii():
        return set()
    # Picked out in C (a regex scan takes several times longer): deleting the ASCII
    # bytes of UTF-8 leaves whole characters.
    utf8 = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES)
    return set(utf8.decode("utf-8", "surrogatepass"))


def capital_patterns(beyond: set[str]) -> CapitalPatterns:
    """The capital patterns for a text (or part of it) with the characters ``beyond`` ASCII.

    The Latin-1 ones unless one of those is a capital beyond Latin-1: in such a
    text both find exactly the same matches, and the Latin-1 ones compile far faster.
    """
    if any(char > "\xff" and is_capital(char) for char in beyond):
        return all_capitals()
    return LATIN1_CAPITALS


LOWER_WORD_RE = re.compile(r"(?<![\w'’-])[a-z]+(?![\w'’-])")
POSSESSIVE_RE = re.compile(r"['’]s?(?=[ \u00a0])")

#: Words that start a sentence without starting a name.
SENTENCE_WORDS = frozenset(
    words(
        """
        a an the this that these those there then thus so and but or nor yet if when while
            as after before during since until though although because however meanwhile
            moreover also both either neither each every all any some many most more few several
            other another such no not one two three four five six seven eight nine ten he she it
            they we i you his her its their our my your him them us me who what where which why
            how whose whom in on at by for from with without within into onto over under above
            below about against between among through throughout across along around near beyond
            despite per via like unlike according following including today yesterday tomorrow
            tonight now last next earlier later recently currently already still just only even
            here overall instead otherwise indeed perhaps maybe already first second third
            finally lastly once twice never always often sometimes usually monday tuesday
            wednesday thursday friday saturday sunday january february march april may june july
            august september october november december said says inputs details updated other
            asked speaking experts officials police residents farmers growers producers
            scientists researchers analysts critics leaders ministers members people traders
        """
    )
)

# -- titles and roles ---------------------------------------------------------------------------

#: Capitalised words that head a title before a name ("Minister", "President").
TITLE_HEADS = frozenset(
    words(
        """
        Mr Mr. Mrs Mrs. Ms Ms. Miss Mx Dr Dr. Prof Prof. Professor Sir Dame Lord Lady Madam
            Minister President Premier Senator Sen Sen. Governor Gov Gov. Mayor Chancellor
            Secretary Treasurer Ambassador King Queen Prince Princess Pope Emperor Empress
            Sultan Sheikh Emir General Gen Gen. Colonel Col Col. Captain Capt Capt. Major Maj.
            Lieutenant Lt Lt. Sergeant Sgt Sgt. Corporal Cpl Admiral Adm Adm. Marshal Commander
            Commissioner Superintendent Inspector Detective Constable Officer Chairman
            Chairwoman Chairperson Chair Director Judge Justice Magistrate Coroner Bishop
            Archbishop Cardinal Reverend Rev Rev. Father Rabbi Imam Spokesman Spokeswoman
            Spokesperson Congressman Congresswoman Representative Rep Rep. Councillor Councilman
            Alderman Speaker Leader Chief Executive CEO Deputy Vice Dean Coach Manager Producer
            Ambassador Envoy Counsel Attorney Solicitor Barrister MP MLA MLC Senator Chancellor
            Viceroy Patriarch Ayatollah Mullah Brigadier Private Trooper Sister Brother Doctor
            Principal Administrator Councilor Acting Secretary-General President-elect Premier-
            elect Governor-General Director-General
        """
    )
)
#: Words that only modify a title ("Prime Minister", "Defense Minister").
TITLE_MODIFIERS = frozenset(
    words(
        """
        Prime Foreign Defense Defence Deputy Vice Chief Executive Managing Trade Agriculture
            Finance Health Education Opposition Federal State Acting Former Senior Assistant
            Associate Interior Home Justice Environment Energy Resources Industry Primary
            Industries Fisheries Transport Infrastructure Treasury Shadow Junior Immigration
            Police Emergency Services Economic Economy Labor Labour Employment Communications
            Science Innovation Water Climate Regional Rural Development Affairs Cabinet Senior
            Secretary Attorney General Supreme High Court Lord Lieutenant Auxiliary Grand Crown
            Royal Commerce Research Technology Tourism Culture Sports Sport Women Family Social
            Welfare Veterans Housing Mines Mining Land Lands National Public Security
            Intelligence Army Navy Air Force Marine Fire Border Customs Tax Revenue Planning
            Local Government Minerals Forestry Farm Farming Food Wildlife Parks Heritage Arts
            Youth Aged Care Disability Children Multicultural Indigenous Aboriginal Ethnic
        """
    )
)
#: Lower-case words that come just before a person's name ("counterpart Phan Van Giang").
ROLE_WORDS = frozenset(
    words(
        """
        counterpart spokesman spokeswoman spokesperson minister president premier senator
            governor mayor chancellor secretary treasurer ambassador director chairman
            chairwoman chair manager executive officer analyst economist researcher scientist
            professor lecturer student farmer grower producer vet veterinarian agronomist
            ecologist biologist geologist chemist physicist astronomer engineer doctor surgeon
            nurse lawyer barrister solicitor judge magistrate coroner commissioner inspector
            detective constable sergeant superintendent officer author writer journalist
            reporter correspondent editor photographer broadcaster presenter host actor actress
            singer musician artist designer architect coach captain player driver pilot owner
            founder president-elect leader deputy colleague adviser advisor consultant
            strategist candidate campaigner activist advocate lobbyist organiser organizer
            coordinator co-ordinator curator historian archaeologist palaeontologist
            paleontologist anthropologist psychologist psychiatrist economist statistician
            mathematician entomologist zoologist botanist ornithologist epidemiologist
            virologist immunologist geneticist neuroscientist pharmacist dentist economist
            auditor accountant banker broker trader dealer exporter importer miner grazier
            pastoralist orchardist winemaker viticulturist horticulturist apiarist beekeeper
            fisherman angler hunter ranger warden volunteer resident citizen mother father son
            daughter wife husband brother sister widow partner friend neighbour neighbor teacher
            principal headmaster priest bishop pastor reverend rabbi imam monk chef boss chief
            ceo cfo md head expert specialist official diplomat envoy negotiator prosecutor
            climatologist meteorologist hydrologist agronomist consultant
        """
    )
)
#: Verbs of saying, next to a name ("Kishi said", "says Dr Smith").
SAY_VERBS = frozenset(
    words(
        """
        said says say told tells added adds explained explains stated states noted notes
            warned warns argued argues claimed claims believes believed thinks thought wrote
            writes announced announces admitted admits insisted insists suggested suggests
            predicted predicts conceded concedes acknowledged acknowledges asked asks replied
            replies urged urges confirmed confirms denied denies estimated estimates recalled
            recalls expressed voiced criticized criticised welcomed condemned described
            describes declared declares emphasised emphasized stressed stresses reported reports
            agreed agrees
        """
    )
)
#: A word in a capitalised run that makes it an organisation, an outlet or an event.
ORG_WORDS = frozenset(
    words(
        """
        Ministry Department Dept Times News Post Herald Journal Gazette Tribune Chronicle
            Telegraph Review Weekly Daily Monthly Magazine Press Radio Television TV Network
            Channel Broadcasting Agency Association Council Committee Commission Board Authority
            Bureau Office Service Services University College School Academy Institute
            Institution Centre Center Laboratory Laboratories Lab Labs Observatory Museum
            Library Hospital Clinic Foundation Trust Fund Society Union Federation League
            Alliance Coalition Party Movement Front Group Company Corporation Corp Corp. Inc
            Inc. Ltd Ltd. Limited LLC PLC Plc Co Co. Holdings Industries Enterprises Partners
            Bank Exchange Airlines Airline Airways Motors Energy Resources Mining Petroleum Oil
            Gas Telecom Pharmaceuticals Technologies Systems Solutions Group Organisation
            Organization Forces Force Army Navy Airforce Military Guard Police Court Tribunal
            Parliament Congress Senate Assembly Cabinet Government Administration Secretariat
            Embassy Consulate Mission Program Programme Project Initiative Cup Games Olympics
            Championship Championships Festival Show Awards Prize Conference Summit Forum
            Inquiry Report Act Law Code Policy Strategy Plan Scheme Index Council Shire Club
            Team Stadium Arena Airport Station Port Hotel Church Cathedral Mosque Temple Railway
            Railways Highway Street Road Avenue Drive Lane Boulevard Square Place Park Gardens
            Zoo Aquarium Market Markets Mall Farm Farms Station Estate Winery Brewery Dairy
            Communications Consulting Associates Logistics Factory Mill Mills Abattoir Cannery
            Co-operative Cooperative Coop Growers Producers Farmers Federation Chamber Lobby
            Network Institute Capital Ventures Investments Insurance Group Media Studios Records
            Publishing Books Press Times Party Democrats Republicans Liberals Nationals Greens
            Labor Labour Conservatives Socialists Communists Brigade Regiment Battalion Division
            Corps Squadron Fleet Command Unit Taskforce Task Operations Watch Crisis Scale War
            Wars Revolution Dynasty Empire Kingdom Republic Federation Confederation Protocol
            Agreement Treaty Accord Pact Convention Charter Declaration Memorandum Partnership
            Deal Dialogue Initiative Framework Statement Communique Communiqué Sciences Science
            Studies Research Medicine Engineering Technology Systems Global International
            Worldwide Australia-wide Nations States Brothers Bros. Sons
        """
    )
)
#: The words of ORG_WORDS that end the name of an agreement ("Kyoto Protocol").
AGREEMENT_TITLE_WORDS = frozenset(
    words(
        """
        Protocol Agreement Treaty Accord Accords Pact Convention Charter Memorandum
            Partnership Deal
        """
    )
)
#: Capitalised words that do not make an organisation when a place precedes them
#: ("United Nations" is handled by the gazetteer; "United States" is a place).
PLACE_HEAD_WORDS = frozenset(
    words(
        """
        Sea Seas Ocean River Rivers Island Islands Isles Isle Mountains Mountain Mount Mt
            Mt. Range Ranges Bay Gulf Strait Straits Peninsula Lake Lakes Valley Coast Reef
            Creek Desert Basin Plains Plain Plateau Highlands Hills Harbour Harbor Sound Channel
            Canal Delta Falls Forest Gorge Archipelago Cape Point Head Heads Region Province
            County State Territory District Shire City Town Village Prefecture Oblast Peninsula
            Tablelands Downs Wetlands
        """
    )
)
#: Geographic words after a name that make the whole run a place ("Murray River").
FEATURE_SUFFIXES = frozenset(
    words(
        """
        Sea Seas Ocean River Island Islands Isles Mountains Range Ranges Bay Gulf Strait
            Straits Peninsula Lake Lakes Valley Coast Reef Creek Desert Basin Plains Plateau
            Highlands Hills Harbour Harbor Sound Archipelago Tablelands Downs Wetlands Gorge
            Falls Forest Delta Peninsula
        """
    )
)
#: Geographic words before a name ("Lake Eyre", "Mount Everest", "Gulf of Carpentaria").
FEATURE_PREFIXES = frozenset(
    words(
        """
        Lake Mount Mt Mt. Cape Gulf Sea Isle Bay Strait Port Fort Lake
        """
    )
)
#: Lower-case plural feature words in coordinations ("Spratly and Paracel island groups").
PLURAL_FEATURES = {
    "seas": "Sea",
    "Seas": "Sea",
    "islands": "Islands",
    "Islands": "Islands",
    "island groups": "Islands",
    "rivers": "River",
    "Rivers": "River",
    "oceans": "Ocean",
    "Oceans": "Ocean",
    "mountains": "Mountains",
}

# -- agreements ---------------------------------------------------------------------------------

AGREEMENT_HEAD_RE = re.compile(
    r"(?<![\w-])(?P<head>agreements?|deals?|treat(?:y|ies)|pacts?|accords?|"
    r"memorand(?:um|ums|a)(?:[ \u00a0]+of[ \u00a0]+understanding)?|MoUs?|MOUs?|"
    r"partnerships?|arrangements?)(?![\w-])",
    re.IGNORECASE,
)
#: The heads that need a determiner or modifier to be nouns ("to deal with" is not one).
WEAK_HEADS = frozenset({"deal", "accord", "arrangement", "agreement", "partnership"})
DETERMINERS = frozenset(
    words(
        """
        a an the this that these those its their his her our your my another any each every
            both two three four five six seven eight nine ten eleven twelve several many some
            such no new all other similar one
        """
    )
)
INDEFINITE = frozenset(
    words(
        """
        a an another two three four five six seven eight nine ten eleven twelve several many
            some such similar one other
        """
    )
)
#: Words that end a leftward walk over an agreement's modifiers.
MODIFIER_STOPS = frozenset(
    words(
        """
        is was were are be been being am has have had do does did will would shall should
            can could may might must to of for by on in at from with without into onto upon over
            under about after before between among against amid during since until through via
            than then that which who whom whose what where when why how as also not nor or but
            if so because while signed sign signs signing sealed seal struck strike reached
            reach reaching agreed agree inked ink approved approve ratified ratify made make
            making said says told announced under allowing enabling following including he she
            it they we i you him them us me there here said says welcome welcomed hailed hail
            backs backed back oppose opposed support supported join joined joining scrap
            scrapped negotiate negotiated negotiating discuss discussed discussing renew renewed
            finalise finalised finalize finalized conclude concluded implement implemented
            review reviewed under has have existing latest
        """
    )
)
#: Phrases with an agreement word that name no agreement.
NOT_AGREEMENT_RE = re.compile(
    r"(?:great|good|big|fair|raw|square|whole)[ \u00a0]+deal\b|"
    r"\b(?:own|in)[ \u00a0]+accord\b|\bin[ \u00a0]+partnership\b|\bin[ \u00a0]+agreement\b|"
    r"\bdeals[ \u00a0]+with\b",
    re.IGNORECASE,
)
AGREEMENT_TAIL_RE = re.compile(
    r"[ \u00a0]+on[ \u00a0]+(?P<tail>[a-z][a-z-]+(?:[ \u00a0]+(?!and\b)[a-z][a-z-]+)?"
    r"(?:[ \u00a0]+and[ \u00a0]+[a-z][a-z-]+(?:[ \u00a0]+[a-z][a-z-]+)?)?)"
)
LEFT_WORD_RE = re.compile(r"(\S+)[ \u00a0]+$")

# -- misc ---------------------------------------------------------------------------------------

#: Patterns for CJK scripts, compiled on first use: most texts never need them, and
#: the wide ranges of the CJK class make them slow to compile. Name -> how to build it.
_LAZY_PATTERNS: dict[str, Callable[[], re.Pattern[str]]] = {
    "CJK_RUN_RE": lambda: re.compile(CJK + "+"),
    #: A name in CJK script in brackets after a name: "Wang Yi (王毅)".
    "PAREN_CJK_RE": lambda: re.compile(rf"[ \u00a0]*[(（](?P<alias>{CJK}+)[)）]"),
}


def __getattr__(name: str) -> re.Pattern[str]:
    # Module attributes looked up but not set yet: the lazy patterns, kept once built.
    if name in _LAZY_PATTERNS:
        pattern = globals()[name] = _LAZY_PATTERNS[name]()
        return pattern
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def fold(text: str) -> str:
    """Accents removed, whitespace collapsed: the form canonical names are compared in."""
    if text.isascii():  # nothing to fold: most names, and every word of most articles
        return " ".join(text.split())
    text = text.replace("đ", "d").replace("Đ", "D").replace("ø", "o").replace("Ø", "O")
    text = text.replace("ł", "l").replace("Ł", "L").replace("’", "'").replace("\u00a0", " ")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(unicodedata.normalize("NFC", stripped).split())
