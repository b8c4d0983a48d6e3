"""The German word lists the lints look for, each taken from a rule of annotations/GUIDELINES.md.

Kept apart from the rule baseline's lists (dataset/baselines/lexicon.py) on purpose: those are a system's
features and were written without looking at the gold annotation, while these are a checker's and are chosen
for precision against the guidelines; tuning one must not move the other.

Verb forms are matched case-sensitively in lower case, so the nouns spelled alike (Berichte, Warnung, Sage) never
match; a form that is also an infinitive is not matched after "zu" (text.py).
"""

from __future__ import annotations

# --- attribution (section 3: the subject of a speech or report verb; section 4: cue) -------------------------


def _forms(*groups: str) -> frozenset[str]:
    return frozenset(word for group in groups for word in group.split())


#: Speech and report verbs of section 3 (sagen, erklären, berichten, warnen, bestätigen, dementieren, werben für,
#: äußern, mitteilen), drohen (the speech act of the issue the lints came from) and the verbs the seeds use the
#: same way, in every finite form, participle and Konjunktiv I a news text uses.
SPEECH_VERBS = _forms(
    "sagt sagte sagten sagen gesagt sage",
    "erklärt erklärte erklärten erklären erkläre",
    "berichtet berichtete berichteten berichten berichte",
    "warnt warnte warnten warnen gewarnt warne",
    "bestätigt bestätigte bestätigten bestätigen bestätige",
    "dementiert dementierte dementierten dementieren dementiere",
    "wirbt warb warben werben geworben werbe",
    "äußert äußerte äußerten äußern geäußert äußere",
    "mitteilt mitteilte mitteilten mitteilen mitgeteilt mitteile",
    "droht drohte drohten drohen gedroht drohe",
    "betont betonte betonten betonen betone",
    "behauptet behauptete behaupteten behaupten behaupte",
    "ankündigt ankündigte ankündigten angekündigt ankündige",
    "verspricht versprach versprachen versprochen verspreche",
    "bekanntgab bekanntgaben bekanntgegeben",
    "hinzugefügt angemerkt",
    "bemerkt bemerkte bemerkten",
    "zurückwies zurückwiesen zurückgewiesen",
    "meldet meldete meldeten gemeldet",
    "verkündet verkündete verkündeten",
)

#: Determiners: a verb form right after one is an attributive participle ("das erklärte Ziel"), not a speech act.
DETERMINERS = _forms(
    "der die das den dem des ein eine einen einem einer eines sein seine seinen seinem seiner seines",
    "ihr ihre ihren ihrem ihrer ihres unser unsere unseren unserem unserer dieser diese diesen diesem dieses",
)

#: Separable speech verbs whose finite form stands apart from its particle ("gab am Donnerstag bekannt"): the
#: finite form counts only when the particle follows it in the same sentence.
SEPARABLE = {
    **dict.fromkeys(("teilt", "teilte", "teilten"), "mit"),
    **dict.fromkeys(("kündigt", "kündigte", "kündigten"), "an"),
    **dict.fromkeys(("gibt", "gab", "gaben"), "bekannt"),
    **dict.fromkeys(("fügt", "fügte", "fügten"), "hinzu"),
    **dict.fromkeys(("merkt", "merkte", "merkten"), "an"),
    **dict.fromkeys(("weist", "wies", "wiesen"), "zurück"),
}

#: Attribution prepositions and formulas of section 3 (laut, zufolge, nach Angaben / den Worten von, mit Verweis
#: auf, seitens), as lower-case word sequences; the first word may be capitalised at the start of a sentence.
ATTRIBUTION_PHRASES = (
    ("laut",),
    ("zufolge",),
    ("seitens",),
    ("nach", "angaben"),
    ("nach", "eigenen", "angaben"),
    ("nach", "den", "worten"),
    ("nach", "worten"),
    ("mit", "verweis", "auf"),
    ("unter", "berufung", "auf"),
)

#: "heißt es": attribution with no one to name, so the only cue that needs no source (section 4).
IMPERSONAL_CUES = frozenset({"heißt es", "hieß es", "es heißt", "es hieß"})

# --- modality (section 4) ------------------------------------------------------------------------------------

#: Modal verbs: "Modal verbs ("sollen") and the Konjunktiv mark modality, not attribution: they are never the cue."
MODAL_VERBS = _forms(
    "soll sollen solle sollte sollten sollst",
    "kann können könne könnte könnten",
    "muss müssen müsse müsste müssten",
    "darf dürfen dürfe dürfte dürften",
    "will wollen wolle wollte wollten",
    "mag mögen möge möchte möchten",
)

#: Hearsay "sollen" (indicative; "sollte(n)" is Konjunktiv II, the advice reading, and never hearsay).
HEARSAY = frozenset({"soll", "sollen"})

#: Konjunktiv I forms of the third person that differ from the indicative (the reportive cue "Ziel sei es").
KONJUNKTIV_I = _forms(
    "sei seien habe werde könne müsse wolle dürfe solle möge",
    "gebe komme stehe liege befinde verfüge handle handele gehe bleibe wisse",
)

#: The speculative cues of section 4 ("könnte", "offenbar", "scheint", "wohl", "möglicherweise"), inflected.
SPECULATIVE = _forms("könnte könnten offenbar scheint scheinen schien schienen wohl möglicherweise")

#: Words that open an indirect question: a hedge inside one is the questioned content, not the claim's modality
#: ("werten aus, wie sich die Wiederwahl ... auswirken könnte" is an asserted event).
QUESTION_WORDS = _forms("wie ob was wer wen wem wann warum weshalb wieso wo woher wohin welche welcher welches")

# --- span rules (section 4, "Span") -------------------------------------------------------------------------

#: Leading connectives and labels, left out of a claim span ("Allerdings:", "Brisant:", "In der Zwischenzeit"):
#: discourse links with no content of their own. Temporal words that date the proposition ("Nun", "Aktuell") and
#: focus particles are not here: they belong to the claim.
LEADING_CONNECTIVES = (
    ("allerdings",),
    ("brisant",),
    ("zudem",),
    ("außerdem",),
    ("darüber", "hinaus"),
    ("ferner",),
    ("jedoch",),
    ("aber",),
    ("doch",),
    ("dennoch",),
    ("trotzdem",),
    ("zwar",),
    ("indes",),
    ("indessen",),
    ("unterdessen",),
    ("währenddessen",),
    ("inzwischen",),
    ("in", "der", "zwischenzeit"),
    ("stattdessen",),
    ("hingegen",),
    ("dagegen",),
    ("deshalb",),
    ("daher",),
    ("folglich",),
    ("somit",),
    ("also",),
    ("und",),
    ("oder",),
    ("denn",),
    ("übrigens",),
)

#: Conjunctions of complement and adverbial clauses: "a dependent clause starts after its conjunction (dass, ob,
#: da, weil, als, obwohl)"; "um" of a purpose clause stays, so it is not here.
CLAUSE_CONJUNCTIONS = _forms("dass ob da weil als obwohl obgleich nachdem wenn falls sodass")

#: Relative pronouns (d- and welch- forms): "a relative clause ... starts at its head noun where the clause
#: alone would not say what it is about".
RELATIVE_PRONOUNS = _forms("der die das dem den denen deren dessen welche welcher welches welchem welchen")

#: Prepositions that may stand before a relative pronoun ("bei der", "in dem").
PREPOSITIONS = _forms("an auf aus bei durch für gegen hinter in mit nach neben ohne über um unter von vor zu zwischen")

#: Words that follow a relative pronoun but never an article (an article is followed by an adjective, a noun or
#: a number): adverbs, particles, prepositions, pronouns, negation. "die aber keine ..." is a relative clause;
#: "die ukrainischen Truppen" is not.
AFTER_RELATIVE_ONLY = _forms(
    "aber auch bereits schon noch nicht nie nun jetzt derzeit damals seit kurzem zuvor erst nur sogar",
    "ebenfalls zudem jedoch dort hier bisher bislang immer wieder offenbar wohl",
    "im am ins zum zur vom beim in an auf aus bei mit nach von vor zu über unter gegen für durch um",
    "sich sie er es ihn ihm ihnen man wir uns ich mich mir ihr",
    "kein keine keinen keinem keiner",
)

#: Abbreviations whose period does not end a sentence.
ABBREVIATIONS = _forms("z.b bzw ca dr prof nr vgl usw etc st mio mrd jh u.a d.h")

# --- claims the guidelines exclude (section 4, "Not claims") -------------------------------------------------

#: Statements about the newsroom's own work and about what is known or can be verified, as word sequences.
NOT_CLAIMS = (
    ("um", "einen", "kommentar", "gebeten"),
    ("um", "kommentar", "gebeten"),
    ("um", "eine", "stellungnahme", "gebeten"),
    ("um", "stellungnahme", "gebeten"),
    ("lassen", "sich", "nicht", "unabhängig"),
    ("lässt", "sich", "nicht", "unabhängig"),
    ("unabhängig", "überprüfen", "lassen", "sich"),
    ("unabhängig", "überprüfen", "lässt", "sich"),
    ("konnte", "nicht", "unabhängig"),
    ("konnten", "nicht", "unabhängig"),
    ("unklar", "war"),
    ("unklar", "ist"),
    ("ist", "unklar"),
    ("war", "unklar"),
)

# --- quantities (section 4, "Quantities") ---------------------------------------------------------------------

#: Vague numbers, "qualifier: about with the smallest value the words allow", as (words, smallest value).
VAGUE_NUMBERS = (
    (("mehrere", "tausend"), 1000),
    (("einige", "tausend"), 1000),
    (("viele", "tausend"), 1000),
    (("tausende",), 1000),
    (("tausenden",), 1000),
    (("mehrere", "hundert"), 100),
    (("einige", "hundert"), 100),
    (("hunderte",), 100),
    (("hunderten",), 100),
    (("zehntausende",), 10_000),
    (("zehntausenden",), 10_000),
    (("hunderttausende",), 100_000),
    (("hunderttausenden",), 100_000),
    (("dutzende",), 12),
    (("dutzenden",), 12),
)

#: The word before a number that sets its qualifier: "rund", "etwa", "ungefähr" -> about; "über", "mehr als" ->
#: at-least; "bis zu" -> at-most.
QUALIFIER_WORDS = (
    (("rund",), "about"),
    (("etwa",), "about"),
    (("ungefähr",), "about"),
    (("circa",), "about"),
    (("ca",), "about"),
    (("über",), "at-least"),
    (("mehr", "als"), "at-least"),
    (("mindestens",), "at-least"),
    (("bis", "zu"), "at-most"),
    (("höchstens",), "at-most"),
)

#: Number words a quantity may be written with, and multipliers after a number.
MULTIPLIERS = {"tausend": 1000, "million": 1_000_000, "millionen": 1_000_000, "mio": 1_000_000}
MULTIPLIERS |= {"milliarde": 1_000_000_000, "milliarden": 1_000_000_000, "mrd": 1_000_000_000}
NUMBER_WORDS = {
    "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10,
    "elf": 11, "zwölf": 12, "zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50, "hundert": 100,
}  # fmt: skip
