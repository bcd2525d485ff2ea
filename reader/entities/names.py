"""The shape of a person's name in wire news: what belongs to it and what does not.

Word lists and small tests the recognizer uses to get a name's extent right:
nationalities in front are not part of it ("German Anna Weber"), nor is a
dateline or a party-and-state tag after it; generational suffixes and regnal
numbers are ("Henry Ford Jr.", "Pope Pius XII"), and so are initials
("J. Walter Grant") and lower-case particles ("Daniel arap Moi"). Surnames
that come first (Chinese, Korean, Vietnamese, Malaysian and Singaporean names)
are listed so that "Lim Kit Hock" keeps its first word.
"""

from __future__ import annotations

import re

from reader.entities.rules import words

#: Nationalities and other demonyms that stand before a name ("German Anna Weber").
DEMONYMS = frozenset(
    words(
        """
        Afghan Albanian Algerian American Angolan Argentine Argentinian Armenian Australian
            Austrian Azerbaijani Bahraini Bangladeshi Belarusian Belgian Bolivian Bosnian
            Brazilian British Bulgarian Burmese Cambodian Cameroonian Canadian Chilean Chinese
            Colombian Congolese Croatian Cuban Cypriot Czech Danish Dutch Ecuadorean Ecuadorian
            Egyptian Emirati English Eritrean Estonian Ethiopian Fijian Filipino Finnish French
            Georgian German Ghanaian Greek Guatemalan Haitian Honduran Hungarian Icelandic
            Indian Indonesian Iranian Iraqi Irish Israeli Italian Ivorian Jamaican Japanese
            Jordanian Kazakh Kenyan Korean Kosovar Kurdish Kuwaiti Kyrgyz Laotian Latvian
            Lebanese Liberian Libyan Lithuanian Macedonian Malaysian Malian Maltese Mexican
            Moldovan Mongolian Montenegrin Moroccan Mozambican Namibian Nepalese Nigerian
            Nicaraguan Norwegian Omani Pakistani Palestinian Panamanian Paraguayan Peruvian
            Polish Portuguese Qatari Romanian Russian Rwandan Salvadoran Saudi Scottish
            Senegalese Serb Serbian Sierra Singaporean Slovak Slovenian Somali South Spanish
            Sri Sudanese Swedish Swiss Syrian Taiwanese Tajik Tanzanian Thai Tibetan Tunisian
            Turkish Turkmen Ugandan Ukrainian Uruguayan Uzbek Venezuelan Vietnamese Welsh
            Yemeni Yugoslav Zambian Zimbabwean Soviet Bosnian Chechen Basque Catalan Flemish
            Taliban Kiwi Aussie
        """
    )
) - {"Sierra", "Sri", "South"}
#: Lower-case words inside a name ("Daniel arap Moi", "Ludwig van Beethoven").
PARTICLES = frozenset(
    words("de da del della dei degli di du van von der den dos das ter ten zu bin ibn al el arap")
)
#: After a name and part of it ("Henry Ford Jr.", "Pope Pius XII").
SUFFIX_RE = re.compile(r"^(?:Jr\.?|Sr\.?|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|XIII|XIV|XV|XVI)$")
#: A single initial ("J." in "J. Walter Grant").
INITIAL_RE = re.compile(r"^[A-Z]\.$")
#: Surnames written first, in Chinese, Korean, Vietnamese and Malaysian names.
SURNAME_FIRST = frozenset(
    words(
        """
        Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Zhu Hu Guo Lin Luo Zheng Liang Xie
            Tang Feng Deng Cao Zeng Xiao Tian Dong Pan Yuan Cai Jiang Du Cheng Su Ding Ren Shen
            Yao Xi Qin Kim Choi Kang Cho Jang Park Lee Nguyen Tran Pham Phan Hoang Huynh Vu Vo
            Dang Bui Ngo Duong Truong Dinh Lam Dao Hun Hwang Kwon Yoon Jeon Baek Seo Ahn Jeong
            Ryu Kwak Jung Lim Tan Goh Ng Ong Teo Chua Koh Yeo Wong Chan Cheung Leung Ho Lau Chow
            Tsang Yip Mak Lai Tse Siew Toh Quek Heng Low Loh Khoo Chong Chin Foo Soh Sim Seah Lui
            Hui Kwok Fung Lo Tam Yeung Kwan Mok Shum Ma Gao Song Han Wei Qian Sun Zou Jin
        """
    )
)
#: Titles that are also common given names: "Dean Harris" is a name, "Dean Smith of
#: the law school" too (a dean would be "the dean" or "Dean of ...").
GIVEN_NAME_TITLES = frozenset(words("Dean Earl Major Prince King Judge Marshal"))


def is_initial(word: str) -> bool:
    return bool(INITIAL_RE.match(word))


def is_suffix(word: str) -> bool:
    return bool(SUFFIX_RE.match(word))
