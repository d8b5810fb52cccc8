"""Names of the varied population (varied_population.py), by name-origin group.

Seven groups, each with given names for boys and men, girls and women, and family names,
earlier names more common. Everyone made from them is invented. The spellings a name is
found under are here too, by kind, because each kind is a different error the linker has
to bear (docs/population-generator.md, "The second generator"):

    TRANSLITERATIONS  one name written from another script: Mohammed, Muhammad, Mohamed
    PHONETIC          one name spelt as it sounds: Stephen, Steven; Catherine, Kathryn
    NICKNAMES         a short or adopted name: William, Bill; Katarzyna, Kasia; Wei, David

Names with diacritics (Zoë, José, Łukasz, Siobhán) are written with them here; the errors
module drops them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

NAME_ORIGINS: Mapping[str, float] = {
    "English": 0.40, "Irish": 0.08, "South Asian": 0.15, "Eastern European": 0.10,
    "West African": 0.09, "Arabic": 0.10, "Chinese": 0.08,
}
"""Each group's share of families (the mother's group)."""

MALE: Mapping[str, Sequence[str]] = {
    "English": ("Oliver", "Jack", "Harry", "Thomas", "William", "James", "Stephen", "Daniel",
                "Christopher", "Matthew", "Robert", "Philip", "Anthony", "Jonathan", "Edward",
                "Michael", "Alexander", "Geoffrey", "Ashley", "José"),
    "Irish": ("Seán", "Patrick", "Ciarán", "Declan", "Niall", "Eoin", "Pádraig", "Cormac",
              "Oisín", "Darragh"),
    "South Asian": ("Mohammed", "Ahmed", "Imran", "Arjun", "Rahul", "Hussain", "Sanjay",
                    "Bilal", "Kamran", "Vikram", "Zubair", "Harpreet"),
    "Eastern European": ("Łukasz", "Piotr", "Wojciech", "Aleksandr", "Sergei", "Paweł",
                         "Tomasz", "Bartłomiej", "Marek", "Dmitri"),
    "West African": ("Oluwaseun", "Chinedu", "Emeka", "Kwame", "Babatunde", "Adebayo",
                     "Kofi", "Olumide", "Tunde", "Ifeanyi"),
    "Arabic": ("Mohammed", "Yusuf", "Omar", "Ibrahim", "Abdullah", "Mustafa", "Khalid",
               "Hamza", "Tariq", "Karim"),
    "Chinese": ("Wei", "Jun", "Hao", "Ming", "Jian", "Lei", "Qiang", "Zhiwei", "Tao", "Bo"),
}

FEMALE: Mapping[str, Sequence[str]] = {
    "English": ("Olivia", "Emily", "Catherine", "Sophie", "Jessica", "Elizabeth", "Rebecca",
                "Zoë", "Chloë", "Samantha", "Victoria", "Margaret", "Jennifer", "Claire",
                "Phoebe", "Renée", "Lucy", "Hannah"),
    "Irish": ("Siobhán", "Niamh", "Aoife", "Róisín", "Caoimhe", "Saoirse", "Bridget",
              "Orla", "Sinéad", "Aisling"),
    "South Asian": ("Ayesha", "Fatima", "Priya", "Sana", "Anjali", "Nadia", "Zainab",
                    "Shabana", "Amrit", "Rukhsana"),
    "Eastern European": ("Małgorzata", "Katarzyna", "Agnieszka", "Aleksandra", "Natalia",
                         "Yuliya", "Żaneta", "Joanna", "Oksana", "Zofia"),
    "West African": ("Chiamaka", "Adaeze", "Folake", "Ngozi", "Abena", "Funmilayo",
                     "Yetunde", "Ama", "Oluwakemi", "Chidinma"),
    "Arabic": ("Fatima", "Aisha", "Khadija", "Maryam", "Nour", "Layla", "Yasmin", "Huda",
               "Amira", "Samira"),
    "Chinese": ("Xiaoling", "Mei", "Li Na", "Yan", "Jing", "Hui", "Xin", "Ying", "Fang",
                "Lan"),
}

FAMILY: Mapping[str, Sequence[str]] = {
    "English": ("Smith", "Jones", "Taylor", "Brown", "Wilson", "Thompson", "Clarke",
                "Ashworth", "Hargreaves", "Fletcher", "Whitworth", "Pemberton", "Thomson",
                "Philips", "Leigh", "Stephenson", "Bell", "Harrison", "Marsden", "Greenwood"),
    "Irish": ("Murphy", "O'Brien", "Kelly", "O'Sullivan", "McCarthy", "Byrne", "Ó Briain",
              "Doherty", "Gallagher", "Quinn"),
    "South Asian": ("Khan", "Hussain", "Patel", "Chaudhry", "Ahmed", "Akhtar", "Begum",
                    "Sharma", "Singh", "Iqbal", "Rahman", "Mahmood"),
    "Eastern European": ("Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Kowalczyk",
                         "Shevchenko", "Kovalenko", "Zieliński", "Lewandowski", "Ivanov"),
    "West African": ("Okafor", "Adeyemi", "Mensah", "Okonkwo", "Oyelaran", "Boateng",
                     "Eze", "Adebayo", "Owusu", "Nwachukwu"),
    "Arabic": ("Ali", "Hassan", "Abdullah", "Mahmoud", "Ibrahim", "Mansour", "Haddad",
               "Saleh", "Nasser", "Al-Rashid"),
    "Chinese": ("Wang", "Li", "Zhang", "Liu", "Chen", "Zhou", "Xu", "Huang", "Wu", "Lin"),
}

FEMININE_SURNAMES = {"Kowalski": "Kowalska", "Wiśniewski": "Wiśniewska",
                     "Zieliński": "Zielińska", "Lewandowski": "Lewandowska",
                     "Ivanov": "Ivanova"}
"""Polish and Russian family names take a feminine form for women and girls."""

TRANSLITERATIONS: Sequence[Sequence[str]] = (
    ("Mohammed", "Muhammad", "Mohamed", "Mohammad", "Muhammed"),
    ("Yusuf", "Yousef", "Yousuf", "Youssef"), ("Ahmed", "Ahmad"),
    ("Hussain", "Hussein", "Husain"), ("Fatima", "Fatimah", "Fatema"),
    ("Aisha", "Ayesha", "Aysha"), ("Ayesha", "Aisha", "Aysha"),
    ("Abdullah", "Abdallah"), ("Omar", "Umar"), ("Ibrahim", "Ebrahim"),
    ("Khadija", "Khadijah", "Khadeeja"), ("Nour", "Noor", "Nur"), ("Mustafa", "Mostafa"),
    ("Hamza", "Hamzah"), ("Tariq", "Tarek"), ("Karim", "Kareem"), ("Huda", "Houda"),
    ("Layla", "Leila", "Laila"), ("Mahmoud", "Mahmood", "Mahmud"),
    ("Mahmood", "Mahmud", "Mehmood"), ("Chaudhry", "Choudhury", "Chowdhury"),
    ("Rahman", "Rehman"), ("Al-Rashid", "Alrashid", "El-Rashid"), ("Hassan", "Hasan"),
    ("Aleksandr", "Alexander", "Oleksandr", "Aleksander"), ("Sergei", "Sergey", "Serhiy"),
    ("Dmitri", "Dmitry", "Dmytro"), ("Yuliya", "Yulia", "Julia"),
    ("Natalia", "Natalya", "Nataliya"), ("Oksana", "Oxana"), ("Shevchenko", "Szewczenko"),
    ("Kovalenko", "Kowalenko"), ("Ivanov", "Ivanoff"), ("Ivanova", "Ivanowa"),
    ("Zhang", "Chang"), ("Zhou", "Chou"), ("Xu", "Hsu"), ("Li", "Lee"), ("Wu", "Woo"),
    ("Jian", "Chien"), ("Qiang", "Chiang"), ("Xin", "Hsin"),
    ("Oluwaseun", "Oluwaseyun"), ("Nwachukwu", "Nwachuku"),
)

PHONETIC: Sequence[Sequence[str]] = (
    ("Stephen", "Steven"), ("Catherine", "Kathryn", "Katherine", "Cathryn"),
    ("Philip", "Phillip"), ("Jonathan", "Johnathan"), ("Geoffrey", "Jeffrey"),
    ("Claire", "Clare"), ("Rebecca", "Rebekah"), ("Sophie", "Sofie"), ("Zoë", "Zoey"),
    ("Ashley", "Ashleigh"), ("Phoebe", "Feebee"), ("Lucy", "Lucie"), ("Hannah", "Hanna"),
    ("Niamh", "Neve", "Neave"), ("Siobhán", "Shivaun"), ("Caoimhe", "Keeva"),
    ("Saoirse", "Seersha"), ("Sinéad", "Shinead"), ("Seán", "Shaun", "Shawn"),
    ("Aoife", "Eefa"), ("Eoin", "Owen"), ("Thomson", "Thompson"), ("Philips", "Phillips"),
    ("Stephenson", "Stevenson"), ("Leigh", "Lee"), ("Clarke", "Clark"),
    ("Byrne", "Burn", "Byrn"), ("Gallagher", "Gallacher"), ("Priya", "Pria"),
    ("Sana", "Sanaa"), ("Kwame", "Kwami"), ("Ama", "Amma"), ("Yasmin", "Yasmine", "Jasmine"),
)

NICKNAMES: Sequence[Sequence[str]] = (
    ("William", "Will", "Bill", "Billy"), ("Thomas", "Tom", "Tommy"),
    ("James", "Jim", "Jamie"), ("Robert", "Rob", "Bob", "Bobby"), ("Daniel", "Dan", "Danny"),
    ("Christopher", "Chris"), ("Matthew", "Matt"), ("Anthony", "Tony"), ("Edward", "Ed", "Ted"),
    ("Michael", "Mike", "Mick"), ("Alexander", "Alex"), ("Jonathan", "Jon"),
    ("Stephen", "Steve"), ("Elizabeth", "Liz", "Beth", "Lizzie"), ("Margaret", "Maggie",
                                                                      "Peggy"),
    ("Catherine", "Kate", "Cath"), ("Rebecca", "Becky"), ("Samantha", "Sam"),
    ("Victoria", "Vicky"), ("Jennifer", "Jenny", "Jen"), ("Jessica", "Jess"),
    ("Patrick", "Paddy", "Pat"), ("Bridget", "Biddy"), ("Katarzyna", "Kasia"),
    ("Małgorzata", "Gosia"), ("Aleksandra", "Ola"), ("Wojciech", "Wojtek"),
    ("Aleksandr", "Sasha"), ("Natalia", "Natasha"), ("Bartłomiej", "Bartek"),
    ("Tomasz", "Tomek"), ("Oluwaseun", "Seun"), ("Babatunde", "Tunde"),
    ("Oluwakemi", "Kemi"), ("Funmilayo", "Funmi"), ("Olumide", "Mide"),
    ("Chiamaka", "Amaka"), ("Abdullah", "Abdul"), ("Ibrahim", "Ibby"),
    ("Wei", "David"), ("Jun", "John"), ("Hao", "Howard"), ("Xiaoling", "Lily"),
    ("Mei", "May"), ("Jing", "Jenny"), ("Ying", "Grace"), ("Fang", "Fiona"),
)


def _index(groups: Sequence[Sequence[str]]) -> dict[str, tuple[str, ...]]:
    """Each name -> the other spellings of its group (a name in two groups gets both)."""
    found: dict[str, tuple[str, ...]] = {}
    for group in groups:
        for name in group:
            found[name] = found.get(name, ()) + tuple(n for n in group if n != name)
    return found


TRANSLITERATED = _index(TRANSLITERATIONS)
SOUNDS_LIKE = _index(PHONETIC)
NICKNAMED = {group[0]: tuple(group[1:]) for group in NICKNAMES}
