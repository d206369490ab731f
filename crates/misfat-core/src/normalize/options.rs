//! Normalization options and the named profiles built from them.

use crate::error::{CoreError, Result};

/// Declares the option struct once, so names, getters and setters cannot drift apart.
macro_rules! options {
    ($($(#[doc = $doc:literal])* $name:ident),+ $(,)?) => {
        /// Which normalization steps run. Every field is one independent switch.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct Options {
            $($(#[doc = $doc])* pub $name: bool,)+
        }

        impl Options {
            /// Every option name, in documentation order.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($name)),+];

            /// The value of the option called `name`.
            pub fn get(&self, name: &str) -> Result<bool> {
                match name {
                    $(stringify!($name) => Ok(self.$name),)+
                    _ => Err(CoreError::unknown("option", name, Self::NAMES)),
                }
            }

            /// Sets the option called `name`.
            pub fn set(&mut self, name: &str, value: bool) -> Result<()> {
                match name {
                    $(stringify!($name) => self.$name = value,)+
                    // `diacritics` is shorthand for every diacritic class at once.
                    "diacritics" => self.set_diacritics(value),
                    _ => return Err(CoreError::unknown("option", name, &Self::names_with_shorthands())),
                }
                Ok(())
            }

            /// `(name, value)` for every option, in documentation order.
            pub fn items(&self) -> Vec<(&'static str, bool)> {
                vec![$((stringify!($name), self.$name)),+]
            }
        }
    };
}

options! {
    /// Arabic presentation forms (U+FB50–FDFF, U+FE70–FEFF) to their letters, lam-alef
    /// ligatures keeping their hamza; combining madda/hamza composed onto their carrier.
    forms,
    /// Fatha, damma, kasra.
    harakat,
    /// Fathatan, dammatan, kasratan.
    tanwin,
    /// Shadda.
    shadda,
    /// Sukun.
    sukun,
    /// U+0670 superscript (dagger) alef.
    dagger_alef,
    /// Quranic annotation marks U+0610–061A and U+06D6–06ED.
    quranic,
    /// Arabic Extended-A marks U+08D3–08FF.
    extended_marks,
    /// The rarer marks U+0656–065F (subscript alef, inverted damma, ...) and U+0653–0655
    /// when they are not composed onto a carrier.
    other_marks,
    /// Tatweel (kashida) U+0640.
    tatweel,
    /// أ إ آ → ا.
    alef,
    /// ٱ (alef wasla) → ا.
    alef_wasla,
    /// ٲ ٳ (alef with wavy hamza) → ا.
    alef_wavy,
    /// ى → ي.
    yeh,
    /// ة → ه.
    teh,
    /// ؤ → و and ئ → ي.
    hamza,
    /// Persian/Urdu look-alikes: ک → ك, ی ے → ي, ۀ ہ ۂ ھ → ه, ۓ → ئ.
    persian,
    /// Arabic-Indic and Extended Arabic-Indic digits → ASCII.
    digits,
    /// ، ؛ ؟ → , ; ?
    punctuation,
    /// « » “ ” „ ‟ → ".
    quotes,
    /// Zero-width and bidi controls, BOM, soft hyphen removed (ZWJ kept inside emoji).
    invisible,
    /// All Unicode spaces → space, runs collapsed, lines trimmed; line breaks kept as \n.
    spaces,
    /// An Arabic letter repeated three or more times → one (digits and pairs untouched).
    squeeze,
    /// Latin letters lower-cased.
    lowercase,
}

/// The named profiles, in documentation order.
pub const PROFILES: &[&str] = &["none", "light", "search", "lucene", "camel"];

impl Options {
    /// `profile` with `overrides` applied: shorthands (`diacritics`) first, so a single
    /// option given with one always wins, whatever order the caller listed them in.
    pub fn with_overrides(profile: &str, overrides: &[(&str, bool)]) -> Result<Self> {
        let mut o = Self::profile(profile)?;
        let is_shorthand = |name: &str| name == "diacritics";
        let shorthands = overrides.iter().filter(|(name, _)| is_shorthand(name));
        let single = overrides.iter().filter(|(name, _)| !is_shorthand(name));
        for &(name, value) in shorthands.chain(single) {
            o.set(name, value)?;
        }
        Ok(o)
    }

    fn names_with_shorthands() -> Vec<&'static str> {
        let mut names = Self::NAMES.to_vec();
        names.push("diacritics");
        names
    }

    fn set_diacritics(&mut self, value: bool) {
        self.harakat = value;
        self.tanwin = value;
        self.shadda = value;
        self.sukun = value;
        self.dagger_alef = value;
        self.quranic = value;
        self.extended_marks = value;
        self.other_marks = value;
    }

    /// The options of a named profile.
    ///
    /// - `none`: nothing; a base to switch single options on.
    /// - `light`: cleanup that leaves text looking the same: invisible characters, spaces,
    ///   presentation forms, tatweel.
    /// - `search`: for matching and dedup: every fold except hamza carriers and punctuation.
    /// - `lucene`: exactly Lucene's `ArabicNormalizer` (آ أ إ → ا, ى → ي, ة → ه, tatweel,
    ///   harakat, tanwin, shadda, sukun).
    /// - `camel`: exactly CAMeL Tools' `dediac_ar` followed by `normalize_alef_ar`,
    ///   `normalize_alef_maksura_ar` and `normalize_teh_marbuta_ar` (U+064B–0652 and dagger
    ///   alef removed; أ إ آ ٱ → ا, ى → ي, ة → ه; tatweel kept).
    pub fn profile(name: &str) -> Result<Self> {
        let mut o = Options::default();
        match name {
            "none" => {}
            "light" => {
                o.invisible = true;
                o.spaces = true;
                o.forms = true;
                o.tatweel = true;
            }
            "search" => {
                o = Options::profile("light")?;
                o.set_diacritics(true);
                o.alef = true;
                o.alef_wasla = true;
                o.alef_wavy = true;
                o.yeh = true;
                o.teh = true;
                o.persian = true;
                o.digits = true;
                o.quotes = true;
                o.squeeze = true;
                o.lowercase = true;
            }
            "lucene" => {
                o.harakat = true;
                o.tanwin = true;
                o.shadda = true;
                o.sukun = true;
                o.tatweel = true;
                o.alef = true;
                o.yeh = true;
                o.teh = true;
            }
            "camel" => {
                o = Options::profile("lucene")?;
                o.tatweel = false;
                o.dagger_alef = true;
                o.alef_wasla = true;
            }
            _ => return Err(CoreError::unknown("profile", name, PROFILES)),
        }
        Ok(o)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_profile_builds_and_unknown_ones_list_the_valid() {
        for p in PROFILES {
            Options::profile(p).unwrap();
        }
        let err = Options::profile("serch").unwrap_err().to_string();
        assert!(err.contains("serch") && err.contains("search") && err.contains("light"));
    }

    #[test]
    fn set_get_roundtrip_and_shorthand() {
        let mut o = Options::default();
        for name in Options::NAMES {
            o.set(name, true).unwrap();
            assert!(o.get(name).unwrap());
        }
        o.set("diacritics", false).unwrap();
        assert!(!o.harakat && !o.shadda && !o.quranic && o.tatweel);
        let err = o.set("tashkeel", true).unwrap_err().to_string();
        assert!(err.contains("tashkeel") && err.contains("diacritics"));
    }

    #[test]
    fn a_single_option_wins_over_the_shorthand_in_any_order() {
        for overrides in [
            [("dagger_alef", true), ("diacritics", false)],
            [("diacritics", false), ("dagger_alef", true)],
        ] {
            let o = Options::with_overrides("search", &overrides).unwrap();
            assert!(o.dagger_alef && !o.harakat && !o.quranic, "{overrides:?}");
        }
        let err = Options::with_overrides("search", &[("aggressiveness", true)]).unwrap_err();
        assert_eq!(
            err.to_string().split(';').nth(1).map(str::trim),
            Some(
                format!(
                    "expected one of: {}",
                    Options::names_with_shorthands().join(", ")
                )
                .as_str()
            )
        );
    }

    #[test]
    fn search_folds_all_but_hamza_and_punctuation() {
        let o = Options::profile("search").unwrap();
        for (name, value) in o.items() {
            assert_eq!(value, !matches!(name, "hamza" | "punctuation"), "{name}");
        }
    }
}
