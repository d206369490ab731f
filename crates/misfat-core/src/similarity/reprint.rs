//! "The same report": how much of the shorter text is carried, sentence by sentence, in
//! the longer one.
//!
//! Outlets republish agency copy trimmed after a few paragraphs, under another headline,
//! with another lead, dateline and connectives and a few words changed. Whole-text
//! Jaccard punishes all of that (a trimmed copy scores 0.13–0.39). A [`Report`] keeps
//! each sentence's word 2-grams and numbers; [`score`] counts the words of the shorter
//! text's sentences that have a near match in the longer text:
//! - a sentence matches when at least [`SENTENCE_MATCH`] of its 2-grams occur in the
//!   longer text (tolerant of an inserted or changed word) and every number it states
//!   occurs there too (differing numbers and dates are evidence of another report:
//!   template stories — weather bulletins, market closes, notices — differ in them);
//! - words count less the later they come in the shorter text (weight `1 / (1 + 2x)` at
//!   relative position `x`): the opening identifies a report, while the background
//!   paragraphs that different reports of a developing story share sit at the end;
//! - the matched weight is divided by the shorter text's weight, and a text under
//!   [`MIN_WORDS`] words can reach only `words / MIN_WORDS`, so a headline or a one-line
//!   quote is not "contained" in every article that carries it (two texts with the
//!   same sentences word for word score 1 however short: a caption filed twice);
//! - a run-on sentence is taken in pieces of [`MAX_SENTENCE_WORDS`] words, so a shared
//!   tail glued to a different story does not match the whole of it.
//!
//! The settings were chosen on the dev half of `bench/real/reprints` (real ANT pairs
//! judged by reading); the test half reports them untouched.
//!
//! The score is symmetric and in [0, 1]; 1 means every sentence of the shorter text is
//! in the longer one.

use super::tokens::{combine, for_each_word, hash_bytes, SHINGLE_SEED};

/// Share of a sentence's word 2-grams that must occur in the other text.
pub const SENTENCE_MATCH: f64 = 0.4;
/// Sentences shorter than this (in words) carry no evidence (labels, datelines, credits).
pub const MIN_SENTENCE_WORDS: usize = 4;
/// The smallest denominator of the score, in words.
pub const MIN_WORDS: usize = 40;
/// Longer sentences are compared in pieces of this many words.
pub const MAX_SENTENCE_WORDS: usize = 40;
/// How fast a word's weight falls with its relative position `x`: `1 / (1 + LEAD_DECAY x)`.
pub const LEAD_DECAY: f64 = 2.0;
/// Seeds of the sentence keys used to find candidates (independent of the shingle seed):
/// two one-permutation MinHashes per sentence piece.
const KEY_SEEDS: [u64; 2] = [0x6D69_7366_6174_5331, 0x6D69_7366_6174_5332];

/// One sentence: its range in [`Report::grams`] and [`Report::numbers`] (indices into
/// the text's sorted 2-grams and numbers), its words and the words before it.
#[derive(Debug, Clone)]
struct Sentence {
    grams: (u32, u32),
    numbers: (u32, u32),
    words: u32,
    start: u32,
}

/// A text prepared for [`score`] (from text already normalized as the caller wants).
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Per sentence, its distinct 2-grams as indices into `all_grams`.
    grams: Vec<u32>,
    /// Per sentence, its numbers as indices into `all_numbers`.
    numbers: Vec<u32>,
    sentences: Vec<Sentence>,
    /// All 2-gram hashes and all number hashes of the text, sorted and distinct.
    all_grams: Vec<u64>,
    all_numbers: Vec<u64>,
    /// Words in sentences that carry evidence.
    words: usize,
}

/// Marks in `out` (cleared, resized to `a.len()`) which items of `a` (sorted, distinct)
/// also occur in `b` (sorted, distinct). A branch-free merge, or a binary search per item
/// when `b` is much longer (a short text against a long one); the result is the same.
fn hits(a: &[u64], b: &[u64], out: &mut Vec<bool>) {
    out.clear();
    out.resize(a.len(), false);
    if b.len() / 16 > a.len() {
        let mut j = 0;
        for (i, x) in a.iter().enumerate() {
            j += b[j..].partition_point(|y| y < x);
            if j == b.len() {
                break;
            }
            out[i] = b[j] == *x;
        }
        return;
    }
    let (mut i, mut j) = (0, 0);
    // Branch-free merge: hashes are random, so which side advances is a coin toss that
    // a branch mispredicts half the time (this loop is most of `dedup`'s verification).
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        out[i] |= x == y;
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
}

thread_local! {
    /// [`hits`] of the 2-grams and of the numbers: reused by every pair a thread scores.
    static FOUND: std::cell::RefCell<(Vec<bool>, Vec<bool>)> =
        const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

/// `sorted` becomes the distinct values of `raw`, sorted; `idx` each raw value's index
/// in it.
fn index_into(sorted: &mut Vec<u64>, idx: &mut Vec<u32>, raw: Vec<u64>) {
    sorted.clone_from(&raw);
    sorted.sort_unstable();
    sorted.dedup();
    idx.clear();
    idx.extend(raw.iter().map(|h| sorted.partition_point(|x| x < h) as u32));
}

fn is_sentence_end(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | '؟' | ';' | '؛' | '\n' | '…' | '։' | '。'
    )
}

/// Splits at sentence punctuation; a full stop between two digits (3.5) does not split.
/// Lazy: a caller that needs only the first sentences does not scan the rest.
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut chars = text.char_indices();
    let mut start = Some(0);
    std::iter::from_fn(move || {
        let s = start?;
        for (i, c) in chars.by_ref() {
            if !is_sentence_end(c) {
                continue;
            }
            if c == '.' {
                let before = i > 0 && bytes[i - 1].is_ascii_digit();
                let after = bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
                if before && after {
                    continue;
                }
            }
            start = Some(i + c.len_utf8());
            return Some(&text[s..i]);
        }
        start = None;
        Some(&text[s..])
    })
}

/// The 2-gram hashes of one sentence piece's word hashes into `out` (a one-word piece
/// has its word as its one gram).
fn piece_grams(words: &[u64], out: &mut Vec<u64>) {
    if words.len() == 1 {
        out.push(combine(1, words[0]));
    }
    out.extend(words.windows(2).map(|w| combine(combine(2, w[0]), w[1])));
}

/// The two candidate keys of one piece's 2-grams (see [`sentence_keys`]).
fn piece_keys(grams: impl Iterator<Item = u64> + Clone, out: &mut Vec<u64>) {
    for seed in KEY_SEEDS {
        if let Some(k) = grams.clone().map(|g| combine(seed, g)).min() {
            out.push(k);
        }
    }
}

/// Candidate keys of the first `max` sentence pieces of `text` (normalized), two per
/// piece: the smallest of its 2-gram hashes under each of two seeds. Two pieces give the
/// same key with probability equal to the Jaccard similarity of their 2-gram sets
/// (one-permutation MinHash), so copies that share a lightly edited sentence meet in a
/// bucket; the opening pieces are the ones trimmed copies keep. The pieces of
/// [`Report::new`], read only as far as the `max`-th (a minimum needs no sorting).
pub fn sentence_keys(text: &str, max: usize, out: &mut Vec<u64>) {
    let (mut hashes, mut grams) = (Vec::new(), Vec::new());
    let mut left = max;
    for s in sentences(text) {
        if left == 0 {
            break;
        }
        hashes.clear();
        for_each_word(s, |w| hashes.push(hash_bytes(w.as_bytes(), SHINGLE_SEED)));
        if hashes.len() < MIN_SENTENCE_WORDS {
            continue;
        }
        for piece in hashes.chunks(MAX_SENTENCE_WORDS).take(left) {
            left -= 1;
            grams.clear();
            piece_grams(piece, &mut grams);
            piece_keys(grams.iter().copied(), out);
        }
    }
}

/// A [`Report`] being built: per-sentence hashes before they become indices.
#[derive(Default)]
struct Builder {
    grams: Vec<u64>,
    numbers: Vec<u64>,
    sentences: Vec<Sentence>,
    words: usize,
}

impl Builder {
    fn push_sentence(&mut self, words: &[u64], is_number: &[bool]) {
        let g0 = self.grams.len();
        piece_grams(words, &mut self.grams);
        let g = &mut self.grams[g0..];
        g.sort_unstable();
        let distinct = dedup_in_place(g);
        self.grams.truncate(g0 + distinct);
        let n0 = self.numbers.len();
        self.numbers.extend(
            words
                .iter()
                .zip(is_number)
                .filter(|(_, &num)| num)
                .map(|(&h, _)| h),
        );
        let nums = &mut self.numbers[n0..];
        nums.sort_unstable();
        let distinct = dedup_in_place(nums);
        self.numbers.truncate(n0 + distinct);
        self.sentences.push(Sentence {
            grams: (g0 as u32, self.grams.len() as u32),
            numbers: (n0 as u32, self.numbers.len() as u32),
            words: words.len() as u32,
            start: self.words as u32,
        });
        self.words += words.len();
    }
}

/// A number as written after normalization (digits folded to ASCII): all digits.
fn is_number(w: &str) -> bool {
    !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit())
}

impl Report {
    /// Prepares `text` (normalize it first: the match is on exact words).
    pub fn new(text: &str) -> Report {
        let mut b = Builder::default();
        let mut hashes: Vec<u64> = Vec::new();
        let mut numbers: Vec<bool> = Vec::new();
        for s in sentences(text) {
            hashes.clear();
            numbers.clear();
            for_each_word(s, |w| {
                hashes.push(hash_bytes(w.as_bytes(), SHINGLE_SEED));
                numbers.push(is_number(w));
            });
            if hashes.len() < MIN_SENTENCE_WORDS {
                continue;
            }
            for (piece, nums) in hashes
                .chunks(MAX_SENTENCE_WORDS)
                .zip(numbers.chunks(MAX_SENTENCE_WORDS))
            {
                b.push_sentence(piece, nums);
            }
        }
        let mut r = Report {
            sentences: b.sentences,
            words: b.words,
            ..Report::default()
        };
        index_into(&mut r.all_grams, &mut r.grams, b.grams);
        index_into(&mut r.all_numbers, &mut r.numbers, b.numbers);
        r
    }

    /// Words in sentences that carry evidence (what [`score`] compares lengths by).
    pub fn words(&self) -> usize {
        self.words
    }

    /// [`sentence_keys`] from the prepared report: the reference the direct computation
    /// is tested against.
    #[cfg(test)]
    fn sentence_keys(&self, max: usize, out: &mut Vec<u64>) {
        for s in self.sentences.iter().take(max) {
            let g = &self.grams[s.grams.0 as usize..s.grams.1 as usize];
            piece_keys(g.iter().map(|&i| self.all_grams[i as usize]), out);
        }
    }

    /// The weight of this text's sentences that have a near match in `other`, over the
    /// weight of all its sentences, scaled down for texts under [`MIN_WORDS`] words.
    fn carried_in(&self, other: &Report) -> f64 {
        FOUND.with_borrow_mut(|(grams, numbers)| self.carried_with(other, grams, numbers))
    }

    fn carried_with(
        &self,
        other: &Report,
        gram_found: &mut Vec<bool>,
        number_found: &mut Vec<bool>,
    ) -> f64 {
        let total_words = self.words as f64;
        // One merge each, then per sentence only lookups by index.
        hits(&self.all_grams, &other.all_grams, gram_found);
        hits(&self.all_numbers, &other.all_numbers, number_found);
        let (mut matched, mut total) = (0.0, 0.0);
        for s in &self.sentences {
            let w = f64::from(s.words) / (1.0 + LEAD_DECAY * f64::from(s.start) / total_words);
            total += w;
            let g = &self.grams[s.grams.0 as usize..s.grams.1 as usize];
            let nums = &self.numbers[s.numbers.0 as usize..s.numbers.1 as usize];
            if !nums.iter().all(|&n| number_found[n as usize]) {
                continue;
            }
            let hits = g.iter().filter(|&&i| gram_found[i as usize]).count();
            if hits as f64 >= SENTENCE_MATCH * g.len() as f64 {
                matched += w;
            }
        }
        if total == 0.0 {
            return 0.0;
        }
        matched / total * (total_words / MIN_WORDS as f64).min(1.0)
    }
}

fn dedup_in_place(v: &mut [u64]) -> usize {
    if v.is_empty() {
        return 0;
    }
    let mut w = 1;
    for r in 1..v.len() {
        if v[r] != v[w - 1] {
            v[w] = v[r];
            w += 1;
        }
    }
    w
}

/// How much of the shorter report is carried in the longer one (see the module docs).
pub fn score(a: &Report, b: &Report) -> f64 {
    if a.words == 0 || b.words == 0 {
        return 0.0;
    }
    // The same sentences word for word are the same report however short (a caption
    // filed twice): the length discount is for a short text inside a longer one.
    if a.words == b.words && a.all_grams == b.all_grams && a.all_numbers == b.all_numbers {
        return 1.0;
    }
    match a.words.cmp(&b.words) {
        std::cmp::Ordering::Less => a.carried_in(b),
        std::cmp::Ordering::Greater => b.carried_in(a),
        std::cmp::Ordering::Equal => a.carried_in(b).max(b.carried_in(a)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEAD: &str =
        "قال مسؤولون إن الحكومة وافقت اليوم على خطة جديدة لدعم المزارعين في المناطق الجنوبية";
    const BODY: [&str; 4] = [
        "وتشمل الخطة قروضا ميسرة بقيمة 200 مليون دولار تصرف على ثلاث سنوات للمزارعين الصغار",
        "وقال وزير الزراعة في مؤتمر صحفي إن الخطة تهدف إلى زيادة الإنتاج وخفض الأسعار في الأسواق المحلية",
        "وكانت المناطق الجنوبية قد شهدت موجة جفاف طويلة أضرت بالمحاصيل خلال العامين الماضيين",
        "ويتوقع خبراء أن تبدأ نتائج الخطة بالظهور مع موسم الحصاد المقبل في فصل الربيع القادم",
    ];

    fn report(parts: &[&str]) -> Report {
        Report::new(&parts.join(". "))
    }

    #[test]
    fn a_trimmed_copy_is_carried_whole() {
        let full = report(&[LEAD, BODY[0], BODY[1], BODY[2], BODY[3]]);
        let trimmed = report(&[LEAD, BODY[0], BODY[1]]);
        assert_eq!(score(&trimmed, &full), 1.0);
        assert_eq!(score(&full, &trimmed), 1.0);
    }

    #[test]
    fn a_restyled_copy_matches_sentence_by_sentence() {
        let full = report(&[LEAD, BODY[0], BODY[1], BODY[2], BODY[3]]);
        let restyled = report(&[
            "أعلنت الحكومة خطة لدعم المزارعين بعد سنوات من الجفاف في الجنوب",
            &BODY[0].replace("ميسرة", "ميسّرة جدا"),
            &BODY[1].replace("وقال", "كما قال"),
            BODY[2],
        ]);
        // The new lead is not found and weighs most; the carried body still clears 0.6.
        let s = score(&restyled, &full);
        assert!(s > 0.6, "{s}");
    }

    #[test]
    fn other_numbers_are_another_report() {
        let a = report(&[LEAD, BODY[0]]);
        let b = report(&[LEAD, &BODY[0].replace("200", "350")]);
        assert!(score(&a, &b) < score(&a, &a));
        assert!(score(&a, &b) <= 0.5);
    }

    #[test]
    fn a_headline_is_not_a_copy_of_its_article() {
        let full = report(&[LEAD, BODY[0], BODY[1], BODY[2], BODY[3]]);
        let headline = report(&[LEAD]);
        assert!(score(&headline, &full) < 0.5);
        assert_eq!(score(&report(&["بلا كلمات"]), &full), 0.0);
    }

    #[test]
    fn a_short_text_is_a_copy_of_itself_only() {
        let caption = report(&[LEAD]);
        assert_eq!(score(&caption, &report(&[LEAD])), 1.0);
        let full = report(&[LEAD, BODY[0], BODY[1], BODY[2], BODY[3]]);
        assert!(score(&caption, &full) < 0.5);
        let other = report(&[&LEAD.replace("الجنوبية", "الشمالية")]);
        assert!(score(&caption, &other) < 0.5);
    }

    #[test]
    fn symmetric_and_bounded() {
        let a = report(&[LEAD, BODY[1], BODY[3]]);
        let b = report(&[BODY[3], BODY[0], BODY[2], LEAD]);
        let (x, y) = (score(&a, &b), score(&b, &a));
        assert_eq!(x, y);
        assert!((0.0..=1.0).contains(&x));
    }

    #[test]
    fn hits_agree_with_a_plain_lookup() {
        // Both ways (merge, and binary search when `b` is over 16 times longer).
        let b: Vec<u64> = (0..2000u64).map(|x| x * 7 + x % 3).collect();
        for a in [
            vec![],
            vec![0, 7, 8, 15, 16, 13_994, 20_000],
            (0..100u64).map(|x| x * 140 + 1).collect(),
            b.iter().step_by(3).copied().chain([u64::MAX]).collect(),
        ] {
            let mut out = vec![true; 3];
            hits(&a, &b, &mut out);
            let want: Vec<bool> = a.iter().map(|x| b.binary_search(x).is_ok()).collect();
            assert_eq!(out, want);
            hits(&b, &a, &mut out);
            let want: Vec<bool> = b.iter().map(|x| a.binary_search(x).is_ok()).collect();
            assert_eq!(out, want);
        }
    }

    #[test]
    fn sentence_keys_are_those_of_the_prepared_report() {
        let long = vec![LEAD; 30].join(" و ");
        let texts = [
            report_text(&[LEAD, BODY[0], BODY[1], BODY[2], BODY[3]]),
            report_text(&["قصير جدا", LEAD, "نعم", BODY[2]]),
            format!("{long}. {}. كلمة", BODY[1]),
            // 41 words: a piece of 40 and a piece of one word.
            format!("{}. {LEAD}", vec!["كلمة"; 41].join(" ")),
            String::new(),
        ];
        for text in &texts {
            for max in [0, 1, 2, 3, 16] {
                let (mut want, mut got) = (Vec::new(), Vec::new());
                Report::new(text).sentence_keys(max, &mut want);
                sentence_keys(text, max, &mut got);
                assert_eq!(got, want, "max {max}");
            }
        }
    }

    fn report_text(parts: &[&str]) -> String {
        parts.join(". ")
    }

    #[test]
    fn decimal_points_do_not_split_sentences() {
        assert_eq!(sentences("نما 3.5 في المئة. ثم").count(), 2);
    }
}
