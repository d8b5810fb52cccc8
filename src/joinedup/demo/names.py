"""Names for the synthetic population, and the ways agencies get them wrong.

Given names and family names come in origin groups (English, Welsh, Scottish, Irish,
Pakistani and Bangladeshi, Indian, Polish, Nigerian, Caribbean), so that a family's names
hang together the way they do in a real borough. Within a group the earlier names are the
more common (a Zipf-like weight), so that "James Smith" and "Mohammed Khan" recur, and
unrelated people share a name, as they do in real records.

``VARIANTS`` is the nickname and spelling table, one table per sex (see the comment above
``_MALE_VARIANTS``). :func:`typo` makes the slips a keyboard makes. All of it is written for
joinedup; none of it describes a real person.
"""

from __future__ import annotations

from bisect import bisect
from itertools import accumulate
from random import Random

# Weight of each origin group in the population (a Greater Manchester borough, roughly).
ORIGINS: dict[str, float] = {
    "english": 0.55, "welsh": 0.04, "scottish": 0.05, "irish": 0.07,
    "pakistani_bangladeshi": 0.08, "indian": 0.05, "polish": 0.06, "nigerian": 0.05,
    "caribbean": 0.05,
}

MALE: dict[str, list[str]] = {
    "english": """James Thomas Oliver Jack Harry George Daniel William Joshua Jacob Charlie
        Samuel Joseph Matthew Ryan Michael Christopher Adam Lewis Luke Nathan Liam Jordan
        Kyle Connor Jake Tyler Alfie Noah Leo Oscar Archie Freddie Henry Ethan Isaac
        Alexander Edward Max Arthur Lucas Mason Theo Benjamin Harvey David Paul Mark Andrew
        Richard Stephen Anthony Robert John Peter Gary Lee Wayne Darren Craig Dean Scott
        Carl Jason Kevin Steven Ben""".split(),
    "welsh": "Rhys Dafydd Gareth Owain Iwan Huw Aled Gruffydd Ioan Osian Cai Geraint".split(),
    "scottish": """Callum Euan Hamish Fraser Alasdair Angus Ruaridh Finlay Lachlan Duncan
        Murray Ross""".split(),
    "irish": """Sean Ciaran Niall Padraig Declan Eoin Cian Oisin Darragh Conor Ronan Cathal
        Fionn Colm Aidan""".split(),
    "pakistani_bangladeshi": """Mohammed Ali Ahmed Hassan Hussain Ibrahim Yusuf Zain Ayaan
        Imran Bilal Hamza Usman Tariq Faisal Amir Omar Adil Shahid Kamran""".split(),
    "indian": """Arjun Aarav Rohan Rahul Sanjay Ravi Harpreet Vikram Gurpreet Jaspal Nikhil Sunil
        Dev Amrit""".split(),
    "polish": """Jakub Kacper Szymon Filip Mateusz Piotr Tomasz Krzysztof Paweł Łukasz Michał
        Bartosz Wojciech Marek Grzegorz""".split(),
    "nigerian": """Chinedu Emeka Oluwaseun Tunde Adebayo Chukwuemeka Obinna Femi Kayode Olumide
        Ikechukwu Segun Tobi""".split(),
    "caribbean": "Delroy Winston Marlon Leroy Desmond Errol Tyrone Jermaine Clive Dwayne".split(),
}

FEMALE: dict[str, list[str]] = {
    "english": """Emma Sarah Olivia Amelia Emily Jessica Chloe Sophie Lauren Hannah Rebecca
        Charlotte Lucy Amy Megan Isla Ava Mia Ivy Lily Isabella Grace Freya Poppy Ella Evie
        Florence Sienna Daisy Willow Holly Ellie Laura Gemma Kelly Nicola Claire Michelle Lisa
        Joanne Stacey Kayleigh Danielle Samantha Katherine Elizabeth Margaret Susan Jennifer
        Victoria Rachel Natalie Abigail Jade Leanne Zoe Paige Shannon""".split(),
    "welsh": """Cerys Seren Ffion Carys Bethan Angharad Nia Eleri Sian Rhiannon Gwen Lowri
        Catrin Elin""".split(),
    "scottish": "Eilidh Morag Kirsty Mhairi Ailsa Catriona Fiona Iona Skye Shona".split(),
    "irish": """Siobhan Niamh Aoife Ciara Roisin Saoirse Orla Caoimhe Aisling Grainne Clodagh
        Mairead Sinead Eimear Bridget""".split(),
    "pakistani_bangladeshi": """Fatima Aisha Zainab Maryam Amina Ayesha Hafsa Khadija Sana Noor
        Zara Nadia Rukhsana Shabana Samina Nazia Parveen""".split(),
    "indian": """Priya Anjali Sunita Simran Jaspreet Manpreet Anika Kavita Neha Pooja Gurleen
        Harleen Meera""".split(),
    "polish": """Zofia Zuzanna Julia Maja Hanna Aleksandra Natalia Małgorzata Agnieszka Katarzyna
        Magdalena Joanna Ewa Anna Monika""".split(),
    "nigerian": """Chioma Ngozi Adaeze Folake Funmilayo Oluwatoyin Yetunde Chiamaka Ifeoma Nkechi
        Bisola Temitope Amaka""".split(),
    "caribbean": """Marcia Beverley Charmaine Sonia Paulette Janice Claudette Hyacinth Simone
        Shanice Tanisha""".split(),
}

SURNAMES: dict[str, list[str]] = {
    "english": """Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright
        Thompson Evans Walker White Roberts Green Hall Wood Jackson Clarke Harris Lewis Hughes
        Edwards Turner Hill Moore Cooper Ward Morris King Baker Harrison Morgan Allen James
        Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Cook Carter
        Richardson Bailey Collins Bell Shaw Cox Richards Marshall Mason Howard Chapman Holmes
        Simpson Webb Hunt Barker Lees Hurst Bradshaw Ashworth Holt Kershaw Ogden
        Fletcher""".split(),
    "welsh": """Lloyd Pritchard Powell Rees Vaughan Pugh Llewellyn Bowen Jenkins Howells Parry
        Probert Gwynne Meredith Prosser""".split(),
    "scottish": """Campbell Stewart MacDonald Robertson Reid Murray Ross Paterson Fraser McKenzie
        Ferguson Cameron Sinclair Munro Douglas Grant Maclean Buchanan""".split(),
    "irish": """Murphy Kelly O'Brien O'Connor Ryan Byrne Kennedy Doyle Gallagher Quinn Brennan
        McCarthy O'Neill Walsh Flanagan Donnelly Keane Fitzgerald Hennessy McLaughlin""".split(),
    "pakistani_bangladeshi": """Khan Ahmed Ali Hussain Iqbal Akhtar Rahman Mahmood Butt Malik
        Chaudhry Rashid Hassan Islam Uddin Miah Siddiqui Qureshi Anwar Javed""".split(),
    "indian": """Patel Singh Sharma Shah Gill Sandhu Mistry Kumar Chauhan Joshi Parmar Dhillon
        Bains Sidhu""".split(),
    "polish": """Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński
        Szymański Woźniak Dąbrowski Kozłowski Jankowski Mazur Kwiatkowski Krawczyk Piotrowski
        Grabowski""".split(),
    "nigerian": """Okafor Adeyemi Okonkwo Eze Nwosu Oladipo Okeke Chukwu Obi Balogun Ogunleye
        Afolabi Adewale Ibekwe Oyelaran""".split(),
    "caribbean": "Brathwaite Gayle Francis Henry Samuels Forbes Gordon Spencer Blake Ellis".split(),
}

# Surnames common enough that two unrelated people often share one with a given name.
COMMON_SURNAMES = ("Smith", "Jones", "Taylor", "Brown", "Williams", "Khan", "Ahmed", "Ali",
                   "Hussain", "Patel")

# "A B C" : each of A, B and C may be written as either of the others.
# "A > B C": A may be written B or C, but not the other way round (a Polish Łukasz is often
# written Luke; an English Luke is never written Łukasz).
_MALE_VARIANTS = """
William > Will Bill Billy | Mohammed Muhammad Mohammad Mohamed Mohd | Daniel Danny Dan
Thomas Tom Tommy | James Jim Jamie Jimmy | Joseph Joe Joey | Michael Mike Mick Micky
Christopher Chris Kristopher | Anthony Tony Antony | Robert Rob Bob Bobby | Richard Rich Ricky
Stephen Steven Steve | Matthew Matt Mathew | Samuel Sam Sammy | Benjamin Ben Benny
Alexander Alex Alec | Edward Ed Eddie Ted | Nathan Nate | Joshua Josh | Freddie Fred Freddy
Henry > Harry Hal | Jacob Jake Jakob | Charlie Charles Chas | Theo Theodore | Callum Calum
Sean Shaun Shawn | Ciaran Kieran Keiran | Conor Connor | Aidan Aiden | Rhys Reece Rees
Dafydd > David Dave Dai | David Dave Davey | Owain Owen | Yusuf Yousef Yusef | Ibrahim Ebrahim
Hussain Hussein Husain | Hassan Hasan | Usman Osman | Jakub > Kuba Jacob | Łukasz > Lukasz Luke
Paweł > Pawel Paul | Michał > Michal Michael | Wojciech > Wojtek | Grzegorz > Greg
Piotr > Peter | Krzysztof > Chris Krzys | Mateusz > Matthew Mat | Tomasz > Tom Tomek
Bartosz > Bartek | Oluwaseun > Seun | Chukwuemeka > Emeka | Olumide > Mide | Adebayo > Bayo
Femi Olufemi | Darren Daz | Gary Gaz | Lewis Louis | Alasdair Alistair Alastair
Padraig > Patrick Paddy | Oisin Osheen | Ruaridh > Rory | Zain Zayn | Imran Imraan
"""

_FEMALE_VARIANTS = """
Katherine Kate Katie Kathryn Catherine Kathy | Elizabeth Liz Lizzie Beth Betty | Margaret Maggie
Rebecca Becky Becca | Samantha Sam Sammy | Jennifer Jenny Jen | Victoria Vicky Vikki Tori
Abigail Abbie Abby | Danielle Dani | Nicola Nicky Nikki | Jessica Jess Jessie
Charlotte Lottie Charlie | Florence Flo Florrie | Isabella Bella Izzy | Olivia Liv Livvy
Amelia > Millie Amy | Sophie Sophia | Gemma Jemma | Stacey Stacy | Kayleigh Kayley Kaylee
Joanne > Jo Joanna | Michelle Shelley | Susan Sue Suzy | Natalie Nat | Leanne Lee-Anne Leann
Siobhan Siobhán Shevaun | Niamh Neve | Roisin Róisín Rosheen | Sian Siân Shan
Rhiannon Rhian | Catrin > Cat | Mhairi Mhari | Ayesha Aisha Aysha | Fatima Fatimah
Maryam Mariam | Khadija Khadijah | Zainab Zaynab | Małgorzata > Malgorzata Gosia
Katarzyna > Kasia Kate | Zofia > Zosia Sophie | Aleksandra > Ola Alexandra | Magdalena > Magda
Agnieszka > Aga | Ewa > Eva | Anna > Ann Annie | Zuzanna > Zuza Susanna | Adaeze > Ada
Chiamaka > Amaka | Oluwatoyin > Toyin | Funmilayo > Funmi | Temitope > Tope Temi
Beverley Bev | Hannah Hanna | Chloe Cloe | Zoe Zoë | Grainne Gráinne | Caoimhe Keeva
Saoirse Seersha | Sinead Sinéad | Eilidh Ailie | Ellie Elly
"""


def _variant_table(text: str) -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    for line in text.replace("\n", " | ").split("|"):
        if ">" in line:
            left, right = line.split(">")
            pairs = [(left.strip(), right.split())]
        else:
            group = line.split()
            pairs = [(name, [n for n in group if n != name]) for name in group]
        for name, others in pairs:
            if name and others:
                known = table.setdefault(name, [])
                known.extend(n for n in others if n != name and n not in known)
    return {name: tuple(others) for name, others in table.items()}


VARIANTS: dict[str, dict[str, tuple[str, ...]]] = {
    "M": _variant_table(_MALE_VARIANTS),
    "F": _variant_table(_FEMALE_VARIANTS),
}

STREETS = """Acacia Alder Beech Birch Bluebell Bramble Cedar Chestnut Clover Damson Elm Foxglove
    Hawthorn Hazel Heather Holly Ivy Juniper Larch Laurel Linden Maple Meadow Oak Orchard
    Poplar Primrose Rowan Sycamore Thistle Willow Yew Kestrel Lapwing Heron Curlew Moorland
    Millbrook Brookside Fernlea""".split()
STREET_KINDS = "Road Street Close Avenue Lane Grove Drive Way Crescent Court".split()
# Localities for the outward codes of the home area (Stockport, E08000007): SK1 to SK8.
SK_TOWNS = {1: "Stockport", 2: "Offerton", 3: "Edgeley", 4: "Heaton Moor", 5: "Reddish",
            6: "Marple", 7: "Bramhall", 8: "Cheadle"}

_LOWER = "abcdefghijklmnopqrstuvwxyz"


class NamePicker:
    """Weighted choice of names by origin and sex, drawing only from the caller's Random."""

    def __init__(self) -> None:
        self.origins = list(ORIGINS)
        self._origin_cum = list(accumulate(ORIGINS.values()))
        self._lists: dict[tuple[str, str], tuple[list[str], list[float]]] = {}
        for origin in self.origins:
            for kind, names in (("M", MALE[origin]), ("F", FEMALE[origin]),
                                ("S", SURNAMES[origin])):
                self._lists[(kind, origin)] = (names, _zipf(len(names)))

    def origin(self, rng: Random) -> str:
        return self.origins[bisect(self._origin_cum, rng.random() * self._origin_cum[-1])]

    def given(self, rng: Random, sex: str, origin: str) -> str:
        return self._pick(rng, "F" if sex == "F" else "M", origin)

    def surname(self, rng: Random, origin: str) -> str:
        return self._pick(rng, "S", origin)

    def _pick(self, rng: Random, kind: str, origin: str) -> str:
        names, cum = self._lists[(kind, origin)]
        return names[bisect(cum, rng.random() * cum[-1])]


def _zipf(n: int) -> list[float]:
    return list(accumulate(1.0 / (rank + 10) for rank in range(n)))


def gendered(surname: str, sex: str) -> str:
    """The form of a Polish surname for a woman (Kowalski -> Kowalska); others unchanged."""
    if sex == "F" and surname.endswith(("ski", "cki")):
        return surname[:-1] + "a"
    return surname


def variant(rng: Random, name: str, sex: str) -> str:
    """Another form of the same given name (nickname or spelling), or the name itself."""
    others = VARIANTS.get(sex, {}).get(name)
    return rng.choice(others) if others else name


def typo(rng: Random, name: str) -> str:
    """One keyboard slip: a letter substituted, dropped, doubled, or two letters swapped.

    The first letter is left alone (people rarely mistype it); names shorter than three
    letters come back unchanged.
    """
    if len(name) < 3:
        return name
    kind = rng.randrange(4)
    i = rng.randrange(1, len(name))
    if kind == 0:
        letter = rng.choice(_LOWER)
        if letter == name[i]:
            letter = "e" if letter != "e" else "a"
        return name[:i] + letter + name[i + 1:]
    if kind == 1:
        return name[:i] + name[i + 1:]
    if kind == 2:
        return name[:i] + name[i] + name[i:]
    i = min(i, len(name) - 2)
    if name[i] == name[i + 1]:
        return name[:i] + name[i + 1:]
    return name[:i] + name[i + 1] + name[i] + name[i + 2:]
