"""The project's word lists, in one place: words about the English language and how
shows speak it, not about any one episode or roundup.

Sectioning, headings, key points and the roundup reader all draw on these; a stage keeps
no word list of its own.
"""

from __future__ import annotations

import re

# Function words, speech habits and words that say nothing about a topic.
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because
    been before being below between both but by can can't could couldn't did didn't do does
    doesn't doing don't down during each few for from further had hadn't has hasn't have
    haven't having he he'd he'll he's her here here's hers herself him himself his how how's
    i i'd i'll i'm i've if in into is isn't it it's its itself just let's me more most much
    mustn't my myself no nor not now of off on once only or other ought our ours ourselves out
    over own really same she she'd she'll she's should shouldn't so some such than that that's
    the their theirs them themselves then there there's these they they'd they'll they're
    they've this those through to too under until up very was wasn't we we'd we'll we're we've
    were weren't what what's when when's where where's which while who who's whom why why's
    will with won't would wouldn't you you'd you'll you're you've your yours yourself
    yourselves yes yeah okay ok oh um uh well like actually basically right sure thing things
    lot lots kind sort get got go going gone say said says told tell think know mean want
    make made way one two also today next first meanwhile finally elsewhere new news story
    stories time year years day week month people something anything everything still even
    back again per cent percent every may might must many good great big just around
    hello welcome thanks thank show episode host guest let look lets monday tuesday
    wednesday thursday friday saturday sunday january february march april june july
    august september october november december""".split()
)

MONTHS = (
    "January February March April May June July August September October November December".split()
)
MONTH_ABBREVIATIONS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
ORDINAL_WORDS = """first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth
    thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth""".split()

# The hand-overs text2audio speaks between stories ("Next up: <title>."): plain ones that
# suit any material. audio2text counts them among its strong cues, so a narrated roundup
# turned back into an article finds every story.
HANDOVERS = (
    "next up", "moving on", "turning to", "also this time", "another item", "next on the list",
    "here's another", "on to our next item", "also worth knowing", "and now", "then there's",
    "one more for the list",
)
# Said at the start of a sentence that opens a new story or topic. Strong cues almost
# only occur at a turn; weak ones also start ordinary sentences inside a story.
STRONG_CUES = HANDOVERS + (
    "first up", "first off", "up first", "to start", "to begin", "we begin", "let's begin",
    "let's start", "starting with", "our top story", "our first story", "top story",
    "meanwhile", "turning now to", "in other news", "our next story",
    "next story", "elsewhere", "also today", "also in the news", "moving to",
    "over in", "over at", "over to", "switching gears", "shifting gears", "now to",
    "now for", "now on to", "on to", "onto", "in related news", "finally",
    "and finally", "last but not least", "lastly", "one more story", "one last story",
    "closing out", "in business news", "in research news", "in policy news",
    "in tech news", "in science news", "in health news", "let's talk about",
    "let's turn to", "let's move on", "let's get to", "i want to ask about",
    "i want to talk about", "tell me about", "talk to me about", "speaking of",
    "next question", "our next question", "the next question", "another question",
    "story number", "our story today",
)
WEAK_CUES = (
    "next", "now", "also", "another", "on the", "separately", "in addition", "plus",
    "what about", "how about", "let's", "so let's",
)
# Phrases that open a show's closing part: plug, recap, sign-off.
OUTRO_CUES = (
    "that's all for", "that's it for", "that is all for", "that's our show",
    "that wraps up", "that's a wrap", "to wrap up", "before we go", "before we wrap",
    "before i let you go", "before we let you go", "to recap", "to sum up", "in summary",
    "thanks for listening", "thank you for listening", "thanks for joining",
    "thank you for joining", "thank you so much for joining", "see you tomorrow",
    "see you next", "until next time", "join us again", "one last question",
    "final question", "that's the brief", "that's the show", "that's today's",
    "that's this week's", "that's everything", "that's all from", "tell us what you",
    "let us know what you", "reply to this email", "replying to this email", "write to us",
    "send us your", "catch you next", "talk to you next", "quick recap", "what comes next",
    "what's next for", "what is next for", "a quick word from our sponsor", "brought to you by",
)
# "That's (all | it | the news | our items) for (now | today | this week)": the sign-off
# shape of English-speaking hosts, whatever the show calls its parts.
OUTRO_PATTERN = re.compile(
    r"\bthat(?:'s| is) (?:\w+ ){0,3}for (?:now|today|tonight|this week|this episode|the week|the day)\b",
    re.I,
)
# Phrases of a show's opening, and those that hand over to the first story.
INTRO_CUES = (
    "welcome to", "welcome back", "i'm your host", "this is", "good morning", "good evening",
    "hello and welcome", "hi and welcome", "today on", "coming up", "on today's show",
    "on today's episode", "my guest", "joining me", "listening to", "this episode",
    "episode", "i'm", "we're",
)
INTRO_ENDS = (
    "let's get started", "let's dive in", "let's get into it", "let's jump in",
    "let's get straight into it", "let's get going", "here we go", "let's begin",
    "let's get into", "let's dive into", "let's jump into", "without further ado",
    "let's kick off", "let's kick it off",
)
# An opening hands over with an ordinal: "first up", "the first question", "what's the
# first thing you found": the first story starts at that sentence.
# "At first" and "for the first time" are about when, not about an item.
FIRST_ITEM = re.compile(r"(?<!\bat )\bfirst\b(?! time\b)", re.I)
SECOND_ITEM = re.compile(r"\bsecond\b(?! (?:time|half)\b)", re.I)

# Spoken habits that carry nothing in print, with the commas that set them off.
FILLERS = (
    r"so,? look", r"you know", r"I mean", r"basically", r"um+", r"uh+", r"erm*", r"hmm+",
    r"like(?=,)", r"kind of like", r"sort of", r"literally", r"honestly", r"actually",
    r"if you will", r"to be honest", r"of course", r"right(?=\?)",
)
# Words a sentence opens with in speech that a written sentence drops.
SPOKEN_OPENERS = ("so", "well", "okay", "now", "and", "but", "yeah", "look", "oh", "all right", "alright", "cool")

# Verbs and vague words that make a key phrase read as a sentence fragment in a
# heading ("Brightwater builds picking", "Fernleaf come"); no tagger ships offline.
HEADLINE_FILLER = frozenset(
    """build builds built come comes came receive received receives announce announced announces
    release released releases launch launched launches unveil unveiled unveils publish published
    call called calls report reported reports plan plans planned use uses used want wants wanted
    need needs needed run runs ran find finds found ask asked asks give gave gives keep keeps kept
    show shows showed start started starts become became becomes put take took takes work works
    worked help helps helped try tried tries seem seems seemed feel felt leave left bring brought
    begin began allow allows allowed expect expects expected include includes included cut cuts
    claim claims claimed point pointed note noted add added hold holds held sit sits sat stay
    quick quickly comfortably honestly literally probably already almost nearly roughly about
    able across along among another certain enough whole maybe yet though although however
    pretty cool awesome neat nice love loved guess talk talked talking stuff kinda gonna wanna
    rather either neither overly quite super totally definitely
    """.split()
)

# Words that name a kind of organisation rather than which one ("the University of X").
GENERIC_NAME_WORDS = frozenset(
    """university college institute institution labs lab museum company group team project
    capital partners ventures fund foundation agency ministry department government parliament
    council court act bill law association society school hospital center centre""".split()
)
# Roles written before a person's name: a name after one is a source, not a subject.
PERSON_ROLES = (
    "professor", "dr", "doctor", "chief", "executive", "ceo", "cto", "founder", "co-founder",
    "scientist", "director", "minister", "analyst", "analysts", "spokesperson", "spokesman",
    "spokeswoman", "maintainer", "researcher", "engineer", "reporter", "mr", "ms", "mrs",
    "president", "senator", "author", "host",
)
# Verbs of reporting: "X said" makes X a person.
SAYING_VERBS = ("said", "says", "told", "explained", "added", "argued")

# Prepositions that open a closing phrase a headline can lose.
PREPOSITIONS = frozenset(
    """about above across after against along among around at before behind below beside between
    beyond by despite during except for from in inside into near of off on onto over past since
    through throughout to toward towards under until upon via with within without""".split()
)

# Lower-case words inside a title-cased name ("Founders in Conversation").
TITLE_SMALL_WORDS = frozenset("a an and at for in of on or the to with".split())

# --- written roundups (text2audio) --------------------------------------------------------

# Words that stand before a noun and take its article's place: "the option", not "the a flag".
DETERMINERS = frozenset("a an the this that these those its your their our his her each every any".split())
# Names writers give the sub-blocks of a story ("Key points:", "Impact: ...", "Pros:"),
# as regular-expression alternatives.
SUB_BLOCK_LABELS = (
    "key points", "key takeaways", "takeaways?", "highlights", "impact", "why it matters", "what it means",
    "pros", "cons", "quick start", "getting started", "recommendation", "verdict", "availability", "pricing",
    "sources?", "via", "read more at", "trade-?offs", "confidence",
)
# Headings over a list of one-line stories.
BRIEF_LIST_HEADINGS = (
    "quick hits", "in brief", "news in brief", "briefly", "lightning round", "rapid fire", "quick takes",
    "short takes", "also notable", "other headlines", "more headlines", "the rest", "odds and ends",
)
# Headings of the closing commentary after the last story.
CLOSING_HEADINGS = (
    "worth watching", "final thoughts?", "closing thoughts?", "the bottom line", "bottom line", "conclusions?",
    "wrapping up", "wrap-up", "what'?s (?:coming )?next", "looking ahead", "resources", "tools mentioned",
    "further reading", "upcoming events", "one more thing", "editor'?s note", "summary", "recap",
)
# Language names and codes as language switchers show them ("English | 中文 | Español").
LANGUAGE_NAMES = frozenset({
    "english", "español", "espanol", "français", "francais", "deutsch", "italiano", "português",
    "portugues", "nederlands", "polski", "русский", "українська", "türkçe", "中文", "简体中文",
    "繁體中文", "日本語", "한국어", "العربية", "हिन्दी", "bahasa", "tiếng việt", "svenska", "dansk",
    "norsk", "suomi", "čeština", "ελληνικά", "עברית", "ไทย", "en", "es", "fr", "de", "zh", "ja",
})
