use super::*;
use proptest::prelude::*;

fn with(profile: &str, opts: &[(&str, bool)]) -> Normalizer {
    let mut o = Options::profile(profile).unwrap();
    for (k, v) in opts {
        o.set(k, *v).unwrap();
    }
    Normalizer::new(o)
}

fn only(opt: &str) -> Normalizer {
    with("none", &[(opt, true)])
}

#[test]
fn each_option_alone() {
    let cases: &[(&str, &str, &str)] = &[
        ("harakat", "كَتَبَ", "كتب"),
        ("tanwin", "كتابًا", "كتابا"),
        ("shadda", "شدّة", "شدة"),
        ("sukun", "مِنْ", "مِن"),
        ("dagger_alef", "هٰذا", "هذا"),
        ("quranic", "الرَّحِيمِ ۝ ۖ", "الرَّحِيمِ  "),
        ("extended_marks", "ب\u{08F0}", "ب"),
        ("tatweel", "جميـــل", "جميل"),
        ("alef", "أإآٱ", "اااٱ"),
        ("alef_wasla", "ٱٲٳأ", "اٲٳأ"),
        ("alef_wavy", "ٱٲٳأ", "ٱااأ"),
        ("other_marks", "ب\u{0656}ت\u{065F}", "بت"),
        ("yeh", "على", "علي"),
        ("teh", "مدرسة", "مدرسه"),
        ("hamza", "مؤتمر رئيس ء", "موتمر رييس ء"),
        ("persian", "کتاب ی ے ۀ ہ ھ", "كتاب ي ي ه ه ه"),
        ("digits", "٢٠٢٥ ۱۹", "2025 19"),
        ("punctuation", "نعم، لا؛ لماذا؟", "نعم, لا; لماذا?"),
        ("quotes", "«قال» “نعم”", "\"قال\" \"نعم\""),
        ("lowercase", "BBC News ÉTÉ", "bbc news été"),
    ];
    for (opt, input, want) in cases {
        assert_eq!(only(opt).normalize(input), *want, "option {opt}");
    }
}

#[test]
fn invisible_characters_are_removed_but_emoji_zwj_stays() {
    let n = only("invisible");
    assert_eq!(
        n.normalize("\u{FEFF}مر\u{200F}حبا\u{200B}\u{200C}\u{00AD}\u{2067}x\u{2069}"),
        "مرحباx"
    );
    let family = "👨\u{200D}👩\u{200D}👧";
    assert_eq!(n.normalize(family), family);
    assert_eq!(n.normalize("ل\u{200D}ا 👍\u{200D}"), "لا 👍");
    // A ZWJ next to another invisible character is not inside an emoji sequence.
    assert_eq!(n.normalize("😀\u{200B}\u{200D}😀"), "😀😀");
    assert_eq!(n.normalize("❤\u{200D}\u{200D}⌚"), "❤⌚");
}

#[test]
fn spaces_collapse_and_lines_stay() {
    let n = only("spaces");
    assert_eq!(
        n.normalize("  كلمة\u{00A0}\u{00A0}أخرى\t \r\n  سطر\u{2003}ثان  \r\n\nآخر "),
        "كلمة أخرى\nسطر ثان\n\nآخر"
    );
    // NBSP becomes a space rather than gluing words together (a peer bug).
    assert_eq!(n.normalize("بين\u{00A0}كلمتين"), "بين كلمتين");
}

#[test]
fn squeeze_only_letter_runs_of_three() {
    let n = only("squeeze");
    assert_eq!(n.normalize("جمييييل"), "جميل");
    assert_eq!(n.normalize("ههههههه"), "ه");
    // Digits, pairs and the word الله are not runs of three letters.
    assert_eq!(n.normalize("2000 الله مدد 0000"), "2000 الله مدد 0000");
}

#[test]
fn presentation_forms_decompose_and_lam_alef_keeps_hamza() {
    let n = only("forms");
    assert_eq!(n.normalize("\u{FEF7}\u{FEF9}\u{FEF5}\u{FEFB}"), "لألإلآلا");
    assert_eq!(
        n.normalize("\u{FE8D}\u{FEDF}\u{FEE4}\u{FEAE}\u{FE83}\u{FE93}"),
        "المرأة"
    );
    // ﻧ (noon initial) is noon, never thal (a peer bug).
    assert_eq!(n.normalize("\u{FEE7}"), "ن");
    // Isolated mark forms drop the artefact space of their decomposition.
    assert_eq!(n.normalize("\u{FE70}"), "\u{064B}");
    // Persian presentation forms become Persian letters, then the Persian fold applies.
    assert_eq!(n.normalize("\u{FB8E}"), "ک");
    assert_eq!(
        with("none", &[("forms", true), ("persian", true)]).normalize("\u{FB8E}"),
        "ك"
    );
}

#[test]
fn combining_hamza_composes_onto_its_carrier() {
    let n = only("forms");
    assert_eq!(n.normalize("ا\u{0654}و\u{0654}ي\u{0654}"), "أؤئ");
    assert_eq!(n.normalize("ب\u{0654}"), "ب\u{0654}");
    let s = Normalizer::new(Options::profile("search").unwrap());
    assert_eq!(s.normalize("ا\u{0655}سلام"), "اسلام");
    // Without a carrier the mark is a diacritic; a letter taking it is not squeezed.
    assert_eq!(s.normalize("ب\u{0654} \u{0654}"), "ب");
    assert_eq!(
        with("light", &[("squeeze", true)]).normalize("ييي\u{0654}"),
        "ييئ"
    );
    assert_eq!(
        with("light", &[("squeeze", true)]).normalize("ييييي\u{0654}"),
        "يئ"
    );
}

#[test]
fn search_profile_end_to_end() {
    let n = Normalizer::new(Options::profile("search").unwrap());
    assert_eq!(
        n.normalize("\u{200F}الأخبـــار  العَرَبِيَّة  ٢٠٢٥ «هنا» مرحباااا Hello"),
        "الاخبار العربيه 2025 \"هنا\" مرحبا hello"
    );
    // ى folds to ي, never to ا (a peer bug); Farsi ی folds to ي, never to ى.
    assert_eq!(n.normalize("مصطفى فارسی"), "مصطفي فارسي");
    // Hamza carriers and Arabic punctuation are kept by the search profile.
    assert_eq!(n.normalize("مسؤول، قائد؟"), "مسؤول، قائد؟");
}

#[test]
fn lucene_profile_matches_lucene_rules() {
    let n = Normalizer::new(Options::profile("lucene").unwrap());
    // ٱ, dagger alef, digits and presentation forms are untouched by Lucene.
    assert_eq!(
        n.normalize("أإآٱ ىة ـ َ ٰ ٣ \u{FEFB}"),
        "اااٱ يه   ٰ ٣ \u{FEFB}"
    );
}

#[test]
fn offsets_point_at_the_source_characters() {
    let n = Normalizer::new(Options::profile("search").unwrap());
    let input = " أَهْلاً\u{00A0}\u{00A0}\u{FEF7}!";
    let (out, off) = n.normalize_with_offsets(input);
    assert_eq!(out, "اهلا لا!");
    assert_eq!(off.len(), out.chars().count() + 1);
    let src: Vec<char> = input.chars().collect();
    assert_eq!(*off.last().unwrap() as usize, src.len());
    assert_eq!(src[off[0] as usize], 'أ');
    assert_eq!(src[off[4] as usize], '\u{00A0}');
    // Both letters of the ligature come from the one ligature character.
    assert_eq!(off[5], off[6]);
    assert_eq!(src[off[5] as usize], '\u{FEF7}');
}

fn arabicish() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "ا", "أ", "ب", "ي", "ى", "ة", "ه", "َ", "ّ", "ـ", " ", "  ", "\u{00A0}", "\n", "\r\n",
        "\u{200D}", "\u{200C}", "👍", "\u{0654}", "\u{FEF7}", "\u{FE70}", "٣", "A", "x", "ييي",
        "\t", "«", "،", "\u{FDF2}", "ا", "ا", "ه", "ه", "ي", "ة", "ى", "أ", "إ", "ک", "ی", "ِ", "ب",
        "ب", "\u{0640}", "٣",
    ]);
    prop::collection::vec(pieces, 0..160).prop_map(|v| v.concat())
}

proptest! {
    // Many cases in release test runs; fewer in the (much slower) debug builds of CI.
    #![proptest_config(ProptestConfig::with_cases(if cfg!(debug_assertions) { 150 } else { 1000 }))]

    /// The bulk path (block filter, runs, patches, inline folds), the bulk path without
    /// the block filter, and the per-character path agree.
    #[test]
    fn fast_and_per_character_paths_agree(s in arabicish()) {
        for p in PROFILES {
            let o = Options::profile(p).unwrap();
            let n = Normalizer::new(o);
            let (slow, _) = n.normalize_with_offsets(&s);
            prop_assert_eq!(n.normalize(&s), slow.clone(), "profile {}", p);
            prop_assert_eq!(Normalizer::without_filter(o).normalize(&s), slow, "profile {}", p);
        }
    }

    #[test]
    fn idempotent_for_every_profile(s in arabicish(), any in "\\PC{0,40}") {
        for p in PROFILES {
            let n = Normalizer::new(Options::profile(p).unwrap());
            for text in [&s, &any] {
                let once = n.normalize(text);
                prop_assert_eq!(n.normalize(&once), once.clone(), "profile {}", p);
            }
        }
    }

    #[test]
    fn offsets_are_monotone_and_in_range(s in arabicish()) {
        let n = Normalizer::new(Options::profile("search").unwrap());
        let (out, off) = n.normalize_with_offsets(&s);
        let len = s.chars().count() as u32;
        prop_assert_eq!(off.len(), out.chars().count() + 1);
        prop_assert!(off.windows(2).all(|w| w[0] <= w[1]));
        prop_assert!(off[..off.len() - 1].iter().all(|&o| o < len));
        prop_assert_eq!(n.normalize(&s), out);
    }
}
