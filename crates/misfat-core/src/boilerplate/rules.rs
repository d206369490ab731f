//! The rules: first the ones a line decides alone, then the ones that need its neighbours.

use std::collections::HashSet;
use std::sync::OnceLock;

use regex::Regex;

use super::lexicon::{self, Lexicon};
use super::lines::{alnum_class, hash_key, is_space, Features, KeyMaker};
use super::model::{CorpusModel, SiteRef};
use super::{Aggressiveness, Options, Reason};

/// What the local rules tell the context rules about a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hint {
    None,
    /// "Read also": the line and the headline after it go.
    WeakAnchor,
    /// "Related articles", comments: the rest of the page goes (after article text).
    StrongAnchor,
    /// A date or time alone: a byline above or below the article, a heading inside it.
    DateOnly,
    /// A short menu-like line: navigation around the article, a list inside it.
    WeakNav,
    /// A paragraph the corpus model has seen under many stories of the site: furniture
    /// around the article (about boxes, promos, teasers), reused text inside it (a quote
    /// several stories carry).
    CorpusProse,
    /// A short line the corpus model has seen under many stories of the site: furniture,
    /// unless it is the page's own title (its first line).
    CorpusShort,
}

fn key_words(key: &str) -> u32 {
    if key.is_empty() {
        0
    } else {
        key.bytes().filter(|&b| b == b' ').count() as u32 + 1
    }
}

/// Lexicon flags of the word-boundary prefixes of `key` (up to `max_words` words, not the
/// whole key), OR-ed together.
fn prefix_flags(lex: &Lexicon, key: &str, max_words: usize) -> u16 {
    let mut flags = 0;
    for (n, (i, _)) in key.match_indices(' ').enumerate() {
        if n >= max_words {
            break;
        }
        flags |= lex.flags(&key[..i]);
    }
    flags
}

fn is_url_token(tok: &str) -> bool {
    let t = tok.trim_matches(|c: char| !c.is_alphanumeric() && c != '/');
    if t.len() < 4 || !t.is_ascii() {
        return false;
    }
    let lower = t.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.") {
        return true;
    }
    if t.contains('@') && t.contains('.') {
        return true;
    }
    // domain.tld or domain.tld/path
    let host = t.split('/').next().unwrap_or("");
    match host.rsplit_once('.') {
        Some((name, tld)) => {
            !name.is_empty()
                && name.bytes().any(|b| b.is_ascii_alphabetic())
                && (2..=6).contains(&tld.len())
                // `site.com`, or a domain written in capitals (`SITE.COM`), not `Mr.Smith`.
                && (tld.bytes().all(|b| b.is_ascii_lowercase())
                    || !host.bytes().any(|b| b.is_ascii_lowercase()))
                && host
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        }
        None => false,
    }
}

/// A bare URL, domain or e-mail address, possibly with a word or two around it.
fn is_url_line(trimmed: &str, f: &Features) -> bool {
    if f.words > 4 {
        return false;
    }
    let url_bytes: usize = trimmed
        .split(is_space)
        .filter(|t| is_url_token(t))
        .map(str::len)
        .sum();
    url_bytes > 0 && url_bytes * 2 >= trimmed.len()
}

/// A table or ranking flattened onto one line (a digit in most segments): content.
fn is_table(f: &Features) -> bool {
    f.segments >= 3 && f.segments_with_digits * 3 >= f.segments * 2
}

/// A ticker of many headlines: navigation wherever it is.
fn is_strong_nav(f: &Features) -> bool {
    f.segments >= 8 && f.segment_words >= 3 * f.segments && !is_table(f)
}

/// A long line made of many short headline-like segments (a ticker or a menu).
fn is_nav(f: &Features, aggr: Aggressiveness) -> bool {
    if is_table(f) {
        return false;
    }
    let min_segments = if aggr == Aggressiveness::Low { 5 } else { 4 };
    if f.segments >= min_segments
        && f.segment_words <= 12 * f.segments
        && f.segments_terminated * 2 < f.segments
    {
        return true;
    }
    if aggr == Aggressiveness::Low {
        return false;
    }
    if f.segments >= 3 && f.segment_words <= 4 * f.segments && f.segments_terminated == 0 {
        return true;
    }
    // `Home  News  Sport  Culture`: a menu typed with double spaces. Sloppy double spaces in
    // a paragraph leave long stretches between them, and punctuation.
    f.double_gaps >= 3 && f.words <= 3 * (f.double_gaps + 1) && !f.sentence && f.arabic_commas == 0
}

/// A photo caption or credit line.
fn is_caption(trimmed: &str, key: &str, f: &Features, lex: &Lexicon, km: &mut KeyMaker) -> bool {
    // Ends with an agency or photo credit in parentheses: `... (أ.ف.ب)`, `... (Reuters)`.
    let body = trimmed.trim_end_matches(|c: char| is_space(c) || c == '.');
    if let Some(open) = body.strip_suffix(')').and_then(|b| b.rfind('(')) {
        let inside = &body[open + 1..body.len() - 1];
        if inside.len() <= 80 {
            let is_credit = inside
                .split(['-', '/', '،', ',', '|', '؛', '–'])
                .any(|part| {
                    let compact = km.compact(part);
                    let first = km.key(part).split(' ').next().unwrap_or("").to_owned();
                    !compact.is_empty() && lex.is_credit(&compact, &first)
                });
            // `وكالة الأنباء السعودية (واس)`: an agency named in running text, not a credit.
            let names_agency = is_credit && {
                let mut from = open.saturating_sub(120);
                while !body.is_char_boundary(from) {
                    from += 1;
                }
                let k = km.key(&body[from..open]).to_owned();
                k.rsplit(' ').take(4).any(|w| {
                    matches!(
                        w,
                        "وكاله" | "الانباء" | "انباء" | "للانباء" | "agency" | "news"
                    )
                })
            };
            let ends_sentence = trimmed.ends_with(").") || trimmed.ends_with(") .");
            if is_credit && !names_agency {
                let before = body[..open].trim_end_matches(is_space);
                let words_before = before.split(is_space).filter(|w| !w.is_empty()).count();
                let sentence_before = before
                    .chars()
                    .next_back()
                    .is_some_and(|c| matches!(c, '.' | '!' | '?' | '؟' | '…'));
                return words_before <= 40
                    && !(sentence_before && words_before >= 15)
                    && !(ends_sentence && words_before >= 12);
            }
        }
    }
    if f.sentence || f.words > 30 {
        return false;
    }
    if prefix_flags(lex, key, 3) & lexicon::CAPTION_PREFIX != 0 {
        return true;
    }
    // `Photo: ...`, `صورة: ...`
    if let Some((label, _)) = trimmed.split_once(':') {
        if label.split(is_space).filter(|w| !w.is_empty()).count() <= 2 {
            let label_key = km.key(label).to_owned();
            return lex.flags(&label_key) & lexicon::CAPTION_LABEL != 0;
        }
    }
    false
}

fn is_date_only(key: &str, f: &Features, lex: &Lexicon) -> bool {
    let has_digit = f.alnum > f.letters;
    has_digit
        && !f.sentence
        && key_words(key) <= 10
        && key.split(' ').all(|w| {
            w.bytes().all(|b| b.is_ascii_digit()) || lex.flags(w) & lexicon::DATE_WORD != 0
        })
}

/// Date and time shapes of stamps: clock times, numeric and written dates, Hijri years,
/// `الموافق`, and the words stamps are made of (update/publication labels, day parts,
/// time zones). Digits are ASCII, Arabic-Indic or Persian.
fn stamp_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let d = "[0-9\u{660}-\u{669}\u{6f0}-\u{6f9}]";
        let parts = [
            // 10:45, 10:45:30
            format!(r"(?P<time>{d}{{1,2}}\s*:\s*{d}{{2}}(?::{d}{{2}})?)"),
            // 12/03/2021, 2021-03-12, 12.03.21
            format!(r"(?P<num>{d}{{1,4}}\s*[/.\-]\s*{d}{{1,2}}\s*[/.\-]\s*{d}{{2,4}})"),
            // 1445 هـ
            format!(r"(?P<hijri>{d}{{3,4}}\s*هـ)"),
            // 15 مارس 2021, 3 March 2021, مايو/أيار 2018 after a day
            format!(r"(?P<dmy>{d}{{1,2}}\s+[^\s\d]+(?:\s*/\s*[^\s\d]+)?\s*,?\s+{d}{{4}})"),
            // March 3, 2021
            format!(r"(?P<mdy>[A-Za-z]+\.?\s+{d}{{1,2}}\s*,\s*{d}{{4}})"),
            r"(?P<corr>الموافق)".to_owned(),
            // words of stamps: update/publication labels, day parts, zones, offsets
            format!(
                r"\b(?:(?:آخر\s+)?تحديث|محدث|تم\s+(?:التحديث|النشر)|نشر\s+(?:في|بتاريخ)|بتاريخ|[Ll]ast\s+[Uu]pdated|[Uu]pdated|UPDATED|[Pp]ublished|PUBLISHED|صباحا?ً?|مساءً?|مساءا|ظهرا?ً?|فجرا?ً?|هجري[ةه]?|ميلادي[ةه]?|GMT|UTC)\b|[+\-]{d}{{2,4}}"
            ),
        ];
        // Built with the crate's enabled features only (no Unicode case folding: the
        // pattern spells its cases); tested in `datelines_by_shape`.
        Regex::new(&parts.join("|")).expect("the stamp pattern is valid")
    })
}

/// A date/time stamp line, by its shape: a clock time, a numeric date, a Hijri year,
/// `الموافق` or a written day-month-year, and besides date words almost nothing else
/// (one other word when the line has a clock time or a numeric date: an unlisted month
/// name or a place; none otherwise, so a title with a date in it is not a stamp).
fn is_stamp(trimmed: &str, f: &Features, lex: &Lexicon, km: &mut KeyMaker) -> bool {
    if f.sentence && f.words > 3 || f.words > 14 {
        return false;
    }
    // Every dated shape but `الموافق` holds a digit.
    if f.alnum == f.letters && !trimmed.contains("الموافق") {
        return false;
    }
    let re = stamp_regex();
    let mut strong = false;
    let mut dated = false;
    let mut residual = String::with_capacity(trimmed.len());
    let mut last = 0;
    for c in re.captures_iter(trimmed) {
        let m = c.get(0).expect("group 0 always matches");
        strong |= c.name("time").is_some() || c.name("num").is_some();
        dated |= strong
            || c.name("hijri").is_some()
            || c.name("dmy").is_some()
            || c.name("mdy").is_some()
            || c.name("corr").is_some();
        residual.push_str(&trimmed[last..m.start()]);
        residual.push(' ');
        last = m.end();
    }
    if !dated {
        return false;
    }
    residual.push_str(&trimmed[last..]);
    let key = km.key(&residual).to_owned();
    let others = key
        .split(' ')
        .filter(|w| {
            !w.is_empty()
                && !w.chars().all(|c| alnum_class(c) == Some(false))
                && lex.flags(w) & lexicon::DATE_WORD == 0
        })
        .count();
    others <= usize::from(strong)
}

/// A breadcrumb trail: `الرئيسية » أخبار » عنوان`, `Home > World > ...` (two or more
/// spaced separators, a short first step, no guillemet quotes).
fn is_breadcrumb(trimmed: &str) -> bool {
    if trimmed.contains('«') {
        return false;
    }
    [" » ", " › ", " > ", " < ", " ‹ "].iter().any(|sep| {
        let mut steps = trimmed.split(sep);
        let first = steps.next().unwrap_or("");
        let n = steps.count();
        n >= 2 && (1..=3).contains(&first.split(is_space).filter(|w| !w.is_empty()).count())
    })
}

/// A short line made of an agency or outlet credit: `فرانس24/ أ ف ب`, `(رويترز)`, `AFP`.
fn is_credit_line(trimmed: &str, f: &Features, lex: &Lexicon, km: &mut KeyMaker) -> bool {
    if f.words > 5 || f.sentence && f.words > 3 {
        return false;
    }
    // At least one credit, and at most two other words (an outlet name).
    let mut credits = 0;
    let mut other_words = 0;
    for part in trimmed.split(['-', '/', '،', ',', '|', '؛', '–', '(', ')']) {
        let compact = km.compact(part);
        if compact.is_empty() {
            continue;
        }
        if lex.is_credit(&compact, "") {
            credits += 1;
        } else {
            other_words += part.split(is_space).filter(|w| !w.is_empty()).count();
        }
    }
    // `Protesters (Reuters)` is a caption (kept with `keep_captions`), not a credit line.
    credits > 0 && (other_words == 0 || (other_words <= 2 && !trimmed.contains('(')))
}

fn is_byline(trimmed: &str, key: &str, f: &Features, lex: &Lexicon) -> bool {
    let kw = key_words(key);
    if f.sentence || kw > 12 {
        return false;
    }
    let has_digit = f.alnum > f.letters;
    let prefixes = prefix_flags(lex, key, 3);
    if has_digit && prefixes & lexicon::BYLINE_DATED != 0 {
        // `منذ` is also a common first word of a sentence: only very short lines.
        return !key.starts_with("منذ ") || kw <= 5;
    }
    if kw > 5 {
        return false;
    }
    if prefixes & (lexicon::BYLINE_MARKER | lexicon::CREDIT_PREFIX) != 0 {
        return true;
    }
    // `كتب: ...`, `Source: ...`
    trimmed.split_once(':').is_some_and(|(label, _)| {
        label.split(is_space).filter(|w| !w.is_empty()).count() == 1
            && lex.flags(key.split(' ').next().unwrap_or("")) & lexicon::BYLINE_LABEL != 0
    })
}

/// The rules a line decides alone. Returns the reason to remove it, if any, and a hint for
/// the context rules.
pub(crate) fn local(
    text: &str,
    f: &Features,
    key: &str,
    opts: &Options,
    km: &mut KeyMaker,
    corpus: Option<(&CorpusModel, SiteRef)>,
) -> (Option<Reason>, Hint) {
    if f.blank() {
        return (Some(Reason::Blank), Hint::None);
    }
    let lex = lexicon::lexicon();
    let trimmed = &text[f.trim_start..f.trim_end];
    let aggr = opts.aggressiveness;
    if is_nav(f, aggr) {
        // Short menu-like lines are decided by position (a list inside the article stays).
        return if is_strong_nav(f) {
            (Some(Reason::Nav), Hint::None)
        } else {
            (None, Hint::WeakNav)
        };
    }
    if aggr != Aggressiveness::Low && is_breadcrumb(trimmed) {
        return (None, Hint::WeakNav);
    }
    if is_url_line(trimmed, f) {
        return (Some(Reason::Url), Hint::None);
    }
    let flags = lex.flags(key);
    if flags & lexicon::EXACT != 0 {
        let anchor = if flags & lexicon::ANCHOR_STRONG != 0 {
            Hint::StrongAnchor
        } else if flags & lexicon::ANCHOR_WEAK != 0 {
            Hint::WeakAnchor
        } else {
            Hint::None
        };
        return (Some(Reason::Lexicon), anchor);
    }
    let kw = key_words(key);
    if kw <= 14 && prefix_flags(lex, key, 6) & lexicon::PREFIX != 0 {
        return (Some(Reason::Lexicon), Hint::None);
    }
    if kw <= 25 && (f.has_copyright || lex.contains_phrase(key)) {
        return (Some(Reason::Lexicon), Hint::None);
    }
    if aggr != Aggressiveness::Low
        && (is_byline(trimmed, key, f, lex) || is_credit_line(trimmed, f, lex, km))
    {
        return (Some(Reason::Byline), Hint::None);
    }
    if !opts.keep_captions && is_caption(trimmed, key, f, lex, km) {
        return (Some(Reason::Caption), Hint::None);
    }
    if f.alnum == 0 || (f.alnum <= 3 && !f.sentence) {
        return (Some(Reason::ShortNonSentence), Hint::None);
    }
    if let Some((model, site)) = corpus {
        if model.is_repeated(site, f.model_hash, f.prose()) {
            return if f.prose() {
                (None, Hint::CorpusProse)
            } else {
                (None, Hint::CorpusShort)
            };
        }
    }
    if aggr != Aggressiveness::Low && (is_date_only(key, f, lex) || is_stamp(trimmed, f, lex, km)) {
        return (None, Hint::DateOnly);
    }
    (None, Hint::None)
}

/// Whether one key is the other, or starts it at a word boundary and covers most of it.
fn related_keys(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return false;
    }
    if short == long {
        return true;
    }
    long.starts_with(short)
        && long.as_bytes()[short.len()] == b' '
        && short.chars().count() * 5 >= long.chars().count() * 3
}

/// The rules that need context: tail anchors once, then zones, caption pairs and duplicates
/// over the surviving lines until nothing changes (which makes stripping idempotent).
pub(crate) fn context(
    text: &str,
    feats: &[Features],
    arena: &str,
    reasons: &mut [Option<Reason>],
    hints: &[Hint],
    opts: &Options,
) {
    let key = |i: usize| &arena[feats[i].key_start as usize..feats[i].key_end as usize];
    let aggr = opts.aggressiveness;

    // Menu-like lines are never article paragraphs, whatever their length.
    let prose = |i: usize| feats[i].prose() && hints[i] != Hint::WeakNav;
    let trimmed = |i: usize| &text[feats[i].trim_start..feats[i].trim_end];
    // A short label: 1-3 words without sentence punctuation, or a menu-like line.
    let label = |i: usize| {
        hints[i] == Hint::WeakNav
            || (!feats[i].sentence && key_words(key(i)) <= 3 && !is_list_item(trimmed(i)))
    };
    let nonblank = |i: usize| !feats[i].blank();

    // The corpus model never removes the page's own title, which other pages of the site
    // tease: its first line that no other rule removed, and the headline right above its
    // first paragraph (a masthead or a section label can come first).
    let alive = |i: &usize| reasons[*i].is_none() && nonblank(*i);
    let first = (0..feats.len()).find(alive);
    let above_lede = (0..feats.len())
        .find(|&i| alive(&i) && prose(i))
        .and_then(|lede| (0..lede).rfind(alive))
        .filter(|&i| !label(i));
    for (i, r) in reasons.iter_mut().enumerate() {
        let title = Some(i) == first || Some(i) == above_lede;
        if hints[i] == Hint::CorpusShort && !title && r.is_none() {
            *r = Some(Reason::CorpusRepeated);
        }
    }

    // Prose blocks: runs of consecutive paragraphs (blank lines between them do not break
    // a run), measured in letters and digits. The largest one is the article's core: no
    // rule that removes a run of lines may remove it.
    let blocks = prose_blocks(feats, reasons, &prose);
    let core = blocks
        .iter()
        .fold(None::<&Block>, |best, b| match best {
            Some(x) if x.size >= b.size => Some(x),
            _ => Some(b),
        })
        .copied();
    let in_core = |i: usize| core.is_some_and(|b| b.first <= i && i <= b.last);

    // Tail anchors: the first strong anchor (weak ones only when aggressive) that follows
    // the article's prose cuts the rest of the page; a weak anchor takes the headline (and
    // a run of further headlines) after it. An anchor cuts only when no larger prose block
    // follows it, and an anchor between two short labels is a menu item, not a heading.
    let mut i = 0;
    while i < feats.len() {
        let is_anchor = match hints[i] {
            Hint::StrongAnchor => true,
            Hint::WeakAnchor => aggr == Aggressiveness::High,
            _ => false,
        };
        if is_anchor {
            let before = blocks
                .iter()
                .filter(|b| b.last < i)
                .map(|b| b.size)
                .max()
                .unwrap_or(0);
            let after = blocks
                .iter()
                .filter(|b| b.first > i)
                .map(|b| b.size)
                .max()
                .unwrap_or(0);
            let prev = (0..i).rev().find(|&j| nonblank(j));
            let next = (i + 1..feats.len()).find(|&j| nonblank(j));
            let in_menu = prev.is_some_and(label) && next.is_some_and(label);
            // The page's largest block (the first of equal ones) must precede the anchor.
            if before > 0 && before >= after && !in_menu && !(i..feats.len()).any(in_core) {
                reasons[i] = Some(Reason::TailAnchor);
                for r in reasons[i + 1..].iter_mut() {
                    if r.is_none() {
                        *r = Some(Reason::TailAnchor);
                    }
                }
                break;
            }
        }
        if hints[i] == Hint::WeakAnchor && aggr != Aggressiveness::Low {
            // The linked headline, then up to five more headline-like lines (5 to 20 words,
            // no sentence, no list marker): "read also" boxes list several stories. Shorter
            // lines end the run (subheadings of the article are short).
            let mut taken = 0;
            let mut j = i + 1;
            while j < feats.len() && taken < 6 {
                if !nonblank(j) {
                    j += 1;
                    continue;
                }
                let f = &feats[j];
                let kw = key_words(key(j));
                let headline = reasons[j].is_none()
                    && !f.sentence
                    && !f.prose()
                    && kw <= 20
                    && !in_core(j)
                    && (taken == 0 || (kw >= 5 && !is_list_item(trimmed(j))));
                if !headline {
                    break;
                }
                reasons[j] = Some(Reason::Lexicon);
                taken += 1;
                j += 1;
            }
            i = j;
            continue;
        }
        i += 1;
    }

    let mut seen: HashSet<u64> = HashSet::new();
    // Each round removes lines; real pages settle in two or three. The cap only bounds
    // adversarial inputs (nested copies), where idempotence is then not guaranteed.
    for _round in 0..64 {
        let mut changed = false;
        let alive: Vec<usize> = (0..feats.len()).filter(|&i| reasons[i].is_none()).collect();
        let first_prose = alive.iter().position(|&i| prose(i));
        let last_prose = alive.iter().rposition(|&i| prose(i));

        // Repeated paragraphs go unless article text surrounds them; the page's first
        // paragraph is its own lead even when other pages carry it as a teaser.
        if let Some(fp) = first_prose {
            let own = |n: &usize| prose(alive[*n]) && hints[alive[*n]] != Hint::CorpusProse;
            let first_own = (0..alive.len()).find(own);
            let last_own = (0..alive.len()).rfind(own);
            // A repeated paragraph that opens with the conjunction `و` ("and") and follows
            // the page's own prose continues it: background a site reuses across the
            // stories of one event. Teasers and boxes open a text of their own.
            let mut continues = false;
            for (n, &i) in alive.iter().enumerate() {
                let opens_with_and = trimmed(i).starts_with('و');
                continues = if hints[i] == Hint::CorpusProse {
                    continues && opens_with_and
                } else {
                    own(&n)
                };
                if hints[i] != Hint::CorpusProse || n == fp || continues {
                    continue;
                }
                let inside = first_own.is_some_and(|a| a < n) && last_own.is_some_and(|b| n < b);
                if !inside {
                    reasons[i] = Some(Reason::CorpusRepeated);
                    changed = true;
                }
            }
        }
        if changed {
            continue;
        }

        if let (Some(fp), Some(lp)) = (first_prose, last_prose) {
            // Menus above or below the article go at every level.
            for (n, &i) in alive.iter().enumerate() {
                if hints[i] == Hint::WeakNav && (n < fp || n > lp) {
                    reasons[i] = Some(Reason::Nav);
                    changed = true;
                }
            }
            if aggr != Aggressiveness::Low {
                let ll = alive[lp];
                let mut drop = |i: usize, reasons: &mut [Option<Reason>]| {
                    if reasons[i].is_none() && !in_core(i) {
                        reasons[i] = Some(if hints[i] == Hint::DateOnly {
                            Reason::Byline
                        } else {
                            Reason::Nav
                        });
                        changed = true;
                    }
                };
                // Runs of two or more short labels above the article are a menu, when a
                // heading (the title) separates them from the first paragraph; without
                // one, the last two lines of the run may be the title and a byline and stay.
                // The page's first line starts a run of two: it may be a short title
                // followed by an author's name, and stays.
                // Runs are read over the surviving lines, as a second pass would see them.
                let lines: Vec<usize> = alive[..fp].to_vec();
                for run in runs(&lines, &label) {
                    let end = run[run.len() - 1];
                    let heading = lines
                        .iter()
                        .any(|&k| k > end && !label(k) && hints[k] != Hint::DateOnly);
                    let keep_end = if heading { 0 } else { 2 };
                    let keep_start =
                        usize::from(run.len() == 2 && Some(run[0]) == lines.first().copied());
                    if run.len() < 2 + keep_end {
                        continue;
                    }
                    for &j in &run[keep_start..run.len() - keep_end] {
                        drop(j, reasons);
                    }
                }
                // Below the article, the same (not the items of a list announced by a colon).
                let lines: Vec<usize> = alive[lp + 1..].to_vec();
                let announces_list = trimmed(ll).ends_with(':');
                for run in runs(&lines, &label) {
                    if run.len() >= 2 && !(announces_list && run[0] == lines[0]) {
                        for &j in &run {
                            drop(j, reasons);
                        }
                    }
                }
                // Consecutive lines equal up to their digits around the article (pagers,
                // counters, numbered widgets).
                for w in alive[..fp].windows(2).chain(alive[lp + 1..].windows(2)) {
                    let (a, b) = (&feats[w[0]], &feats[w[1]]);
                    if a.model_hash == b.model_hash
                        && a.key_hash != b.key_hash
                        && !prose(w[0])
                        && !prose(w[1])
                    {
                        drop(w[0], reasons);
                        drop(w[1], reasons);
                    }
                }
                let header_max = if aggr == Aggressiveness::High { 2 } else { 1 };
                let footer_max = if aggr == Aggressiveness::High { 4 } else { 1 };
                for (n, &i) in alive.iter().enumerate() {
                    // The line right above the first paragraph is the title, however short.
                    if opts.keep_titles && n + 1 == fp && hints[i] != Hint::DateOnly {
                        continue;
                    }
                    let limit = if n < fp {
                        header_max
                    } else if n > lp {
                        footer_max
                    } else {
                        continue;
                    };
                    if reasons[i].is_some() {
                        continue;
                    }
                    if hints[i] == Hint::DateOnly {
                        reasons[i] = Some(Reason::Byline);
                        changed = true;
                    } else if !feats[i].sentence && key_words(key(i)) <= limit {
                        reasons[i] = Some(Reason::ShortNonSentence);
                        changed = true;
                    }
                }
            }
        }
        if !opts.keep_titles {
            for &i in &alive {
                let f = &feats[i];
                if reasons[i].is_none() && !f.sentence && !f.prose() && key_words(key(i)) <= 20 {
                    reasons[i] = Some(Reason::ShortNonSentence);
                    changed = true;
                }
            }
        }
        if changed {
            continue;
        }

        // Caption pairs: an image's alt text and its caption print the same words twice in
        // a row. Inside the article both go; above the article the first is the title.
        if aggr != Aggressiveness::Low && !opts.keep_captions {
            if let Some(fp) = first_prose {
                for w in 0..alive.len().saturating_sub(1) {
                    let (a, b) = (alive[w], alive[w + 1]);
                    if reasons[a].is_some() || reasons[b].is_some() {
                        continue;
                    }
                    let (fa, fb) = (&feats[a], &feats[b]);
                    if fa.sentence || fb.sentence || fa.prose() || fb.prose() {
                        continue;
                    }
                    if key_words(key(a)) > 25 || key_words(key(b)) > 25 {
                        continue;
                    }
                    if !related_keys(key(a), key(b)) {
                        continue;
                    }
                    if w > fp {
                        reasons[a] = Some(Reason::Caption);
                    }
                    reasons[b] = Some(if w > fp {
                        Reason::Caption
                    } else {
                        Reason::Duplicate
                    });
                    changed = true;
                }
            }
        }
        if changed {
            continue;
        }

        // Duplicates: keep the first copy; a line that is an earlier line printed twice goes.
        // List items, dates, short labels and short sentences may legitimately repeat.
        seen.clear();
        for &i in &alive {
            let f = &feats[i];
            // Short labels and dates repeat in lists and timelines; titles and captions are
            // longer.
            let short = !f.prose() && key_words(key(i)) < 3;
            if short
                || hints[i] == Hint::DateOnly
                || is_list_item(&text[f.trim_start..f.trim_end])
                || (f.sentence && !f.prose())
            {
                continue;
            }
            let k = key(i);
            if !seen.insert(feats[i].key_hash) || doubled_of_seen(k, &seen) {
                reasons[i] = Some(Reason::Duplicate);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

/// Starts with a list marker: `1-`, `2.`, `3)`, `•`, `- `, `* `.
fn is_list_item(trimmed: &str) -> bool {
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &trimmed[digits..];
    if (1..=3).contains(&digits) {
        return rest.starts_with(['-', '.', ')', '–', ':', '/']);
    }
    rest.starts_with(['•', '●', '▪', '◦', '·']) || rest.starts_with("- ") || rest.starts_with("* ")
}

/// `key` is `X X` (or `XX`) for an `X` already seen.
fn doubled_of_seen(key: &str, seen: &HashSet<u64>) -> bool {
    let n = key.len();
    if n < 2 {
        return false;
    }
    let half = if n % 2 == 1 && key.as_bytes()[n / 2] == b' ' {
        (&key[..n / 2], &key[n / 2 + 1..])
    } else if n.is_multiple_of(2) && key.is_char_boundary(n / 2) {
        (&key[..n / 2], &key[n / 2..])
    } else {
        return false;
    };
    half.0 == half.1 && seen.contains(&hash_key(half.0))
}

/// A run of consecutive paragraphs: its first and last line and its size (letters and
/// digits).
#[derive(Debug, Clone, Copy)]
struct Block {
    first: usize,
    last: usize,
    size: u32,
}

fn prose_blocks(
    feats: &[Features],
    reasons: &[Option<Reason>],
    prose: &dyn Fn(usize) -> bool,
) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut open = false;
    for (i, f) in feats.iter().enumerate() {
        if f.blank() {
            continue;
        }
        if reasons[i].is_none() && prose(i) {
            match out.last_mut() {
                Some(b) if open => {
                    b.last = i;
                    b.size += f.alnum;
                }
                _ => out.push(Block {
                    first: i,
                    last: i,
                    size: f.alnum,
                }),
            }
            open = true;
        } else {
            open = false;
        }
    }
    out
}

/// Maximal runs of consecutive `lines` (indices of non-blank lines, in order) that satisfy
/// `pred`.
fn runs(lines: &[usize], pred: &dyn Fn(usize) -> bool) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut cur: Vec<usize> = Vec::new();
    for &j in lines {
        if pred(j) {
            cur.push(j);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}
