use proptest::prelude::*;

use super::*;

fn stripper() -> Stripper {
    Stripper::default()
}

/// Reasons of the non-blank lines.
fn reasons(text: &str) -> Vec<(String, &'static str)> {
    reasons_with(stripper(), text)
}

fn reasons_with(s: Stripper, text: &str) -> Vec<(String, &'static str)> {
    s.classify(text, None, None)
        .into_iter()
        .filter(|l| l.reason != Reason::Blank)
        .map(|l| (text[l.start..l.end].to_owned(), l.reason.as_str()))
        .collect()
}

fn reason_of(text: &str, line: &str) -> &'static str {
    reasons(text)
        .into_iter()
        .find(|(t, _)| t == line)
        .unwrap_or_else(|| panic!("line {line:?} not found"))
        .1
}

const AR_P1: &str = "أعلنت وزارة الزراعة، صباح اليوم، عن خطة جديدة لدعم صغار المزارعين في المناطق الريفية خلال الموسم المقبل.";
const AR_P2: &str = "وقال المتحدث باسم الوزارة إن الخطة تشمل قروضا ميسرة وبذورا محسنة، إضافة إلى برامج تدريب على الري الحديث.";
const AR_P3: &str = "وأشار تقرير حديث إلى أن إنتاج القمح تراجع بنسبة كبيرة خلال العامين الماضيين بسبب الجفاف وارتفاع تكاليف الوقود.";
const EN_P1: &str = "The city council approved a new budget on Tuesday, allocating more money to public transport and school repairs.";
const EN_P2: &str = "Officials said the plan would be reviewed again in spring, after a consultation with residents and local businesses.";
const EN_P3: &str = "Critics argued that the increase was too small to make a difference, given the rising cost of materials.";

fn page(lines: &[&str]) -> String {
    lines.join("\n")
}

#[test]
fn keeps_plain_articles() {
    for p in [page(&[AR_P1, AR_P2, AR_P3]), page(&[EN_P1, EN_P2, EN_P3])] {
        let (out, removed) = stripper().strip(&p, None, None);
        assert_eq!(out, p);
        assert_eq!(removed, 0);
    }
}

#[test]
fn nav_ticker() {
    let ticker = "أسعار الذهب ترتفع\u{a0}\u{a0}\u{a0}\u{a0}منتخب الشباب يتأهل للنهائي\u{a0}\u{a0}\u{a0}\u{a0}افتتاح معرض الكتاب\u{a0}\u{a0}\u{a0}\u{a0}أمطار غزيرة في الشمال\u{a0}\u{a0}\u{a0}\u{a0}هل تنخفض الأسعار؟";
    assert_eq!(reason_of(&page(&[ticker, AR_P1, AR_P2]), ticker), "nav");
    let menu = "Home | World | Business | Sport | Culture";
    assert_eq!(reason_of(&page(&[menu, EN_P1, EN_P2]), menu), "nav");
    let menu_ar = "الرئيسية • سياسة • اقتصاد • رياضة";
    assert_eq!(reason_of(&page(&[menu_ar, AR_P1]), menu_ar), "nav");
    let menu2 = "الرئيسية  أخبار  اقتصاد  رياضة  منوعات";
    assert_eq!(reason_of(&page(&[menu2, AR_P1, AR_P2]), menu2), "nav");
    // A short menu-like line inside the article is a list; a menu above it is navigation.
    let list = "• القمح • الشعير • الذرة • الأرز";
    assert_eq!(reason_of(&page(&[AR_P1, list, AR_P2]), list), "content");
    assert_eq!(reason_of(&page(&[list, AR_P1, AR_P2]), list), "nav");
    // Sloppy double spaces (NBSP + space) inside a paragraph are not separators.
    let sloppy = "وانطلقت الحركة في30\u{a0} آذار، ومنذ ذلك التاريخ قتل نحو33\u{a0} شخصا وأصيب ما لا يقل عن2800\u{a0} آخرين بجروح";
    assert_eq!(reason_of(&page(&[AR_P1, sloppy, AR_P2]), sloppy), "content");
    // A paragraph with a few double spaces between sentences is not a ticker.
    let prose =
        "The plan was approved.  It starts in May.  Residents were consulted.  Nobody objected.";
    assert_eq!(reason_of(&page(&[prose, EN_P1]), prose), "content");
    // A ranking or table flattened onto one line has numbers in most segments: content.
    let ranking = "1- النادي الأهلي   45 نقطة   2- نادي الزمالك   41 نقطة   3- نادي المصري   38 نقطة   4- نادي الإسماعيلي   30 نقطة";
    assert_eq!(
        reason_of(&page(&[AR_P1, ranking, AR_P2]), ranking),
        "content"
    );
    let scores =
        "Arsenal 2 - 1 Chelsea   Liverpool 3 - 0 Everton   Leeds 1 - 1 Fulham   Spurs 0 - 2 Wolves";
    assert_eq!(reason_of(&page(&[EN_P1, scores, EN_P2]), scores), "content");
    // A ticker with a dated headline here and there is still a ticker.
    let dated = "قمة الرياض 2025 تنطلق\u{a0}\u{a0}\u{a0}\u{a0}منتخب الشباب يتأهل للنهائي\u{a0}\u{a0}\u{a0}\u{a0}افتتاح معرض الكتاب\u{a0}\u{a0}\u{a0}\u{a0}أمطار غزيرة في الشمال\u{a0}\u{a0}\u{a0}\u{a0}هل تنخفض الأسعار؟";
    assert_eq!(reason_of(&page(&[dated, AR_P1, AR_P2]), dated), "nav");
}

#[test]
fn urls() {
    for u in [
        "www.example-news.com",
        "https://news.example.org/a/b?c=1",
        "example.net",
    ] {
        assert_eq!(reason_of(&page(&[AR_P1, u]), u), "url");
    }
    let not_url =
        "Visit the museum at example.com to learn more about the exhibition and its history.";
    assert_eq!(reason_of(&page(&[EN_P1, not_url]), not_url), "content");
}

#[test]
fn lexicon_lines() {
    for l in [
        "Skip to main content",
        "انتقل إلى المحتوى",
        "شارك",
        "Share this article",
        "أضف تعليقاً",
        "العودة إلى الأعلى",
        "Back to top",
        "جميع الحقوق محفوظة © 2025 لموقع الأخبار",
        "© 2024 Example Media Group",
        "تابعونا على فيسبوك وتويتر",
        "Follow us on Instagram",
        "اضغط هنا لمتابعة قناتنا على تلغرام",
        "No results found.",
        "نستخدم ملفات تعريف الارتباط لتحسين تجربتك",
        "للمزيد: اقرأ ملفنا الخاص عن الانتخابات",
        "قد يهمك/ عنوان مقال آخر",
        "* المقالات المنشورة تعبر عن رأي كتابها فقط.",
        "The views expressed are the author's own and do not necessarily reflect ours.",
    ] {
        let p = page(&[EN_P1, AR_P1, l, AR_P2]);
        assert_eq!(reason_of(&p, l), "lexicon", "{l}");
    }
}

#[test]
fn bylines_and_dates() {
    for l in [
        "نشر في صحيفة الأيام يوم 12 - 03 - 2021",
        "آخر تحديث: 14:30 الأحد 3 مارس 2024",
        "Published on 4 May 2023",
        "By Jane Doe",
        "بقلم: سامي يوسف",
        "منذ 3 ساعات",
        "فرانس24/ أ ف ب",
        "(رويترز)",
        "AFP",
        "*نقلاً عن صحيفة الأيام",
    ] {
        let p = page(&[AR_P1, l, AR_P2]);
        assert_eq!(reason_of(&p, l), "byline", "{l}");
    }
    // A date alone is a byline above or below the article, a heading inside it (timelines).
    for d in ["الثلاثاء 12 نوفمبر 2024", "March 3, 2021 10:45 GMT"] {
        assert_eq!(reason_of(&page(&[d, AR_P1, AR_P2]), d), "byline", "{d}");
        assert_eq!(reason_of(&page(&[AR_P1, AR_P2, d]), d), "byline", "{d}");
        assert_eq!(reason_of(&page(&[AR_P1, d, AR_P2]), d), "content", "{d}");
    }
    assert_eq!(
        reason_of(&page(&[AR_P1, "كتب: سامي يوسف"]), "كتب: سامي يوسف"),
        "byline"
    );
    // Subheadings that start like a byline word are content (`تحرير` is also "liberation").
    let sub = "تحرير ميناء المدينة";
    assert_eq!(reason_of(&page(&[AR_P1, sub, AR_P2]), sub), "content");
    // A sentence starting like a byline is content.
    let s = "منذ عام 2014 لم تتغير أسعار الخبز في المدينة رغم ارتفاع تكاليف الطحين.";
    assert_eq!(reason_of(&page(&[AR_P1, s]), s), "content");
}

#[test]
fn credit_captions() {
    for l in [
        "وزير الخارجية خلال مؤتمر صحافي في العاصمة (أ.ف.ب)",
        "متظاهرون أمام مبنى البرلمان (رويترز - أرشيفية)",
        "جانب من الاجتماع (د ب أ)",
        "Firefighters at the scene on Monday (AP Photo/John Smith)",
        "A view of the harbour (Getty Images)",
        "Photo: the new bridge at night",
        "صورة أرشيفية لمحطة القطارات",
    ] {
        let p = page(&[AR_P1, l, AR_P2]);
        assert_eq!(reason_of(&p, l), "caption", "{l}");
    }
    // An agency named in running text is not a photo credit.
    let named = "وأكد الوزير دعم بلاده للمبادرة، وفق ما نقلته وكالة الأنباء السعودية (واس)";
    assert_eq!(reason_of(&page(&[AR_P1, named]), named), "content");
    let named = "وأكد الوزير دعم بلاده للمبادرة الجديدة خلال لقائه نظيره، بحسب ما نقلت عنه (سانا).";
    assert_eq!(reason_of(&page(&[AR_P1, named]), named), "content");
    // A wire paragraph ending with the agency name stays.
    let wire = "وأضاف المسؤول أن المفاوضات ستستأنف الأسبوع المقبل في العاصمة القطرية بمشاركة وفود من عدة دول عربية وغربية. (أ.ف.ب)";
    assert_eq!(reason_of(&page(&[AR_P1, wire]), wire), "content");
    // keep_captions keeps them.
    let s = Stripper::new(Options {
        keep_captions: true,
        ..Options::default()
    });
    for cap in [
        "متظاهرون أمام مبنى البرلمان (رويترز)",
        "متظاهرون غاضبون (رويترز)",
    ] {
        let r = reasons_with(s, &page(&[AR_P1, cap, AR_P2]));
        assert_eq!(r[1].1, "content", "{cap}");
    }
}

#[test]
fn caption_pairs_and_duplicates() {
    let title = "الحكومة تقر خطة لدعم المزارعين";
    let cap = "مزارع يحصد القمح في حقل قرب المدينة";
    let p = page(&[title, "", title, AR_P1, cap, "", cap, AR_P2, AR_P3]);
    let r = reasons(&p);
    assert_eq!(r[0], (title.to_owned(), "content"));
    assert_eq!(r[1].1, "duplicate");
    assert_eq!(r[3].1, "caption");
    assert_eq!(r[4].1, "caption");
    // Alt text and a longer caption, with a spelling variant.
    let alt = "مزارع يحصد القمح في حقل قرب المدينه";
    let long = "مزارع يحصد القمح في حقل قرب المدينة.. الشمال";
    let r = reasons(&page(&[AR_P1, long, alt, AR_P2]));
    assert_eq!((r[1].1, r[2].1), ("caption", "caption"));
    // The same in English.
    let cap_en = "A fisherman repairs his nets at dawn";
    let r = reasons(&page(&[EN_P1, cap_en, cap_en, EN_P2]));
    assert_eq!((r[1].1, r[2].1, r[3].1), ("caption", "caption", "content"));
    // A title printed twice in one line.
    let doubled = format!("{title}{title}");
    let r = reasons(&page(&[title, &doubled, AR_P1]));
    assert_eq!(r[1].1, "duplicate");
    // List items and short sentences may repeat; different numbers are different lines.
    let r = reasons(&page(&[
        AR_P1,
        "1- محمد صلاح",
        "2- لوكا مودريتش",
        AR_P2,
        "1- محمد صلاح",
        "التوقيت: غرينتش + 3.",
        AR_P3,
        "التوقيت: غرينتش + 3.",
        "الفوز 2012",
        "الفوز 2013",
        "التصميم",
        "البطارية",
        "التصميم",
        "15 أكتوبر",
        EN_P1,
        "15 أكتوبر",
        EN_P2,
    ]));
    assert!(r.iter().all(|(_, x)| *x == "content"), "{r:?}");
    // A paragraph printed twice: the copy goes.
    let r = reasons(&page(&[AR_P1, AR_P2, AR_P1]));
    assert_eq!(r[2].1, "duplicate");
    // Different subheadings in a row stay.
    let r = reasons(&page(&[AR_P1, "خلفية الأزمة", "ردود الفعل", AR_P2]));
    assert!(r.iter().all(|(_, x)| *x == "content"));
}

#[test]
fn tail_anchors() {
    let p = page(&[AR_P1, AR_P2, "مقالات ذات صلة", "عنوان مقال آخر", AR_P3]);
    let r = reasons(&p);
    assert_eq!(r[2].1, "tail_anchor");
    assert_eq!(r[3].1, "tail_anchor");
    assert_eq!(r[4].1, "tail_anchor");
    // The anchor cuts when the article before it is the page's largest prose block ...
    let p = page(&[EN_P1, EN_P3, "Related Articles:", EN_P2]);
    assert_eq!(reasons(&p)[3].1, "tail_anchor");
    // ... and not when a larger block follows it (here the paragraph after the anchor is
    // a few letters longer than the one before it: it may be the article). This assertion
    // was `tail_anchor` before the cut required the largest block to precede the anchor.
    let p = page(&[EN_P1, "Related Articles:", EN_P2]);
    assert_eq!(reasons(&p)[2].1, "content");
    // An anchor above the article only removes itself.
    let p = page(&["الأكثر قراءة", AR_P1, AR_P2]);
    let r = reasons(&p);
    assert_eq!(r[0].1, "lexicon");
    assert_eq!(r[1].1, "content");
    // "Read also" removes the link, not the rest of the article (unless aggressive).
    let p = page(&[AR_P1, "اقرأ أيضاً", "عنوان مقال مرتبط", AR_P2]);
    let r = reasons(&p);
    assert_eq!((r[1].1, r[2].1, r[3].1), ("lexicon", "lexicon", "content"));
    let high = Stripper::new(Options {
        aggressiveness: Aggressiveness::High,
        ..Options::default()
    });
    assert_eq!(reasons_with(high, &p)[3].1, "tail_anchor");
}

#[test]
fn short_non_sentences() {
    let p = page(&[
        "TT",
        "أخبار",
        "عاجل جدا",
        AR_P1,
        "مقدمة",
        AR_P2,
        "***",
        AR_P3,
        "OK",
    ]);
    let r = reasons(&p);
    assert_eq!(r[0].1, "short_non_sentence");
    assert_eq!(r[1].1, "short_non_sentence"); // a one-word label above the article
    assert_eq!(r[2].1, "content"); // the line above the first paragraph: the title
    assert_eq!(r[4].1, "content"); // a one-word subheading inside the article stays
    assert_eq!(r[6].1, "short_non_sentence");
    assert_eq!(r[8].1, "short_non_sentence");
    // A one-word title right above the article stays.
    let r = reasons(&page(&["القائمة", "استقالة", AR_P1, AR_P2]));
    assert_eq!((r[0].1, r[1].1), ("lexicon", "content"));
    // "Comments" alone can be a subheading: it removes itself only.
    let r = reasons(&page(&[AR_P1, "Comments", EN_P1]));
    assert_eq!((r[1].1, r[2].1), ("lexicon", "content"));
    // keep_titles = false drops headings too.
    let s = Stripper::new(Options {
        keep_titles: false,
        ..Options::default()
    });
    let r = reasons_with(s, &page(&[AR_P1, "ردود الفعل الدولية", AR_P2]));
    assert_eq!(r[1].1, "short_non_sentence");
}

/// Made-up article lines for the regression tests below (not from any evaluated page).
const AR_P4: &str = "وتوقع خبراء أن يسهم البرنامج في رفع دخل الأسر الريفية وتقليل الهجرة نحو المدن، إذا نفذ وفق الجدول المعلن، بحسب تقديرات أولية.";
const AR_TITLE: &str = "خطة حكومية جديدة لدعم صغار المزارعين في الأرياف";
const AR_BLURB: &str = "موقع إخباري يقدم لكم آخر المستجدات من المدينة والعالم على مدار الساعة.";

#[test]
fn a_menu_anchor_above_the_article_cuts_nothing() {
    // "Latest news" as a menu item between labels, after a short blurb: the title and the
    // whole article stay.
    let p = page(&[
        AR_BLURB,
        "الرئيسية",
        "آخر الأخبار",
        "رياضة",
        AR_TITLE,
        AR_P1,
        AR_P2,
        AR_P3,
    ]);
    let (out, _) = stripper().strip(&p, None, None);
    for l in [AR_TITLE, AR_P1, AR_P2, AR_P3] {
        assert!(out.contains(l), "{l}");
    }
    // The same anchor alone above the article: a larger prose block follows it, no cut.
    let p = page(&[AR_BLURB, "آخر الأخبار", AR_TITLE, AR_P1, AR_P2]);
    let r = reasons(&p);
    assert_eq!(r[1].1, "lexicon");
    assert!(r[2..].iter().all(|(_, why)| *why == "content"), "{r:?}");
    // A single paragraph before the anchor, a longer article after it: no cut either.
    let p = page(&[AR_P1, "الأكثر قراءة", AR_TITLE, AR_P2, AR_P3, AR_P4]);
    let r = reasons(&p);
    assert!(r[2..].iter().all(|(_, why)| *why == "content"), "{r:?}");
    // After the article, between two menu labels, the anchor is a menu item: the
    // paragraph after the menu is not cut.
    let p = page(&[AR_P1, AR_P2, "سياسة", "الأكثر قراءة", "اقتصاد", AR_P3]);
    let r = reasons(&p);
    assert_eq!(r[5].1, "content", "{r:?}");
    // After the article and followed by smaller teasers, it cuts as before.
    let p = page(&[AR_P1, AR_P2, AR_P3, "الأكثر قراءة", AR_P4]);
    let r = reasons(&p);
    assert_eq!((r[3].1, r[4].1), ("tail_anchor", "tail_anchor"));
    // In every case the page's longest paragraph survives a strong anchor.
    for p in [
        page(&[AR_P1, "مقالات ذات صلة", AR_P4]),
        page(&[EN_P1, "Related", EN_P2, EN_P3]),
    ] {
        let size = |l: &str| l.chars().filter(|c| c.is_alphanumeric()).count();
        let longest = p.lines().max_by_key(|l| size(l)).unwrap();
        let (out, _) = stripper().strip(&p, None, None);
        assert!(out.contains(longest), "{p}");
    }
}

/// Six pages of one site, each with its title (after `masthead`, if any), two paragraphs,
/// and the titles of the next two stories teased below them.
fn teasing_pages(masthead: Option<&str>) -> Vec<(String, &'static str)> {
    let titles: Vec<String> = (0..6).map(|i| format!("{AR_TITLE} {}", TAGS[i])).collect();
    (0..6)
        .map(|i| {
            let body = format!("{} {AR_P1}\n{} {AR_P2}", TAGS[i + 6], TAGS[i + 12]);
            let t1 = &titles[(i + 1) % 6];
            let t2 = &titles[(i + 2) % 6];
            let head = masthead.map_or(String::new(), |m| format!("{m}\n"));
            (format!("{head}{}\n{body}\n{t1}\n{t2}", titles[i]), "s")
        })
        .collect()
}

fn model_reasons(pages: &[(String, &str)]) -> Vec<&'static str> {
    let model = fit_sites(pages, true);
    stripper()
        .classify(&pages[0].0, Some(&model), Some("s"))
        .iter()
        .map(|l| l.reason.as_str())
        .collect()
}

#[test]
fn corpus_model_keeps_a_pages_own_title() {
    // Own title and paragraphs stay; the two teasers of other stories go.
    let own = [
        "content",
        "content",
        "content",
        "corpus_repeated",
        "corpus_repeated",
    ];
    assert_eq!(model_reasons(&teasing_pages(None)), own);
    // With the site's name as every page's first line, the headline right above the
    // first paragraph is the title too (the first line stays protected as well).
    let r = model_reasons(&teasing_pages(Some("صحيفة الوادي")));
    assert_eq!(r[1..], own);
}

#[test]
fn datelines_by_shape() {
    for d in [
        "الجمعة 20 نوفمبر 2020 - 09:00",
        "السبت 3 برمهات 2021 | 08:15 صباحاً",
        "12/03/2021 10:45",
        "2024-03-17",
        "الأحد 7 رمضان 1445 هـ الموافق 17 مارس 2024",
        "آخر تحديث: 10:45",
        "Updated 10:45 GMT",
        "١٢/٠٣/٢٠٢١",
    ] {
        assert_eq!(
            reason_of(&page(&[AR_TITLE, d, AR_P1, AR_P2]), d),
            "byline",
            "{d}"
        );
        assert_eq!(reason_of(&page(&[AR_P1, AR_P2, d]), d), "byline", "{d}");
        // Inside the article, a heading of a timeline (update labels are bylines anywhere).
        if !d.starts_with("آخر") && !d.starts_with("Updated") {
            assert_eq!(reason_of(&page(&[AR_P1, d, AR_P2]), d), "content", "{d}");
        }
    }
    // A title holding a date is not a stamp.
    let t = "انتخابات 12 ديسمبر 2019 في البلاد";
    assert_eq!(reason_of(&page(&[t, AR_P1, AR_P2]), t), "content");
    let t = "موعد المباراة 10:45 الليلة بتوقيت العاصمة";
    assert_eq!(reason_of(&page(&[t, AR_P1, AR_P2]), t), "content");
}

#[test]
fn navigation_runs_of_labels() {
    // Above the article, separated from the first paragraph by the title.
    let p = page(&[
        "موقع الأخبار اليومية",
        "سياسة",
        "أخبار عربية",
        AR_TITLE,
        AR_P1,
        AR_P2,
    ]);
    let r = reasons(&p);
    assert_eq!((r[0].1, r[2].1, r[3].1), ("nav", "nav", "content"), "{r:?}");
    // A short title and an author's name right above the first paragraph stay.
    let p = page(&["أسعار القمح", "سامي يوسف", AR_P1, AR_P2]);
    assert!(reasons(&p).iter().all(|(_, why)| *why == "content"));
    // The page's first line and one label before a long subtitle: the first line may
    // be a short title, it stays.
    let p = page(&["أسعار القمح", "سامي يوسف", AR_TITLE, AR_P1, AR_P2]);
    let r = reasons(&p);
    assert_eq!(r[0].1, "content", "{r:?}");
    // Below the article.
    let p = page(&[AR_P1, AR_P2, "ملاعب", "فنون وثقافة", "سيارات وتقنية"]);
    let r = reasons(&p);
    assert_eq!((r[2].1, r[3].1, r[4].1), ("nav", "nav", "nav"), "{r:?}");
    // A list announced by a colon is the article's.
    let intro = "وضمت القائمة النهائية للمرشحين الأسماء التالية بحسب اللجنة:";
    let p = page(&[AR_P1, intro, "أحمد علي", "سعيد حسن", "ليلى سالم"]);
    assert!(reasons(&p).iter().all(|(_, why)| *why == "content"));
    // Inside the article, short lines are subheadings or list items.
    let p = page(&[AR_P1, "الزراعة", "الري الحديث", AR_P2, AR_P3]);
    assert!(reasons(&p).iter().all(|(_, why)| *why == "content"));
}

#[test]
fn lines_equal_up_to_digits_and_breadcrumbs() {
    let p = page(&[AR_P1, AR_P2, "الحلقة 3 من 10", "الحلقة 4 من 10"]);
    let r = reasons(&p);
    assert_eq!((r[2].1, r[3].1), ("nav", "nav"));
    // Inside the article they stay.
    let p = page(&[AR_P1, "المرحلة 1 من 3", "المرحلة 2 من 3", AR_P2]);
    assert!(reasons(&p).iter().all(|(_, why)| *why == "content"));
    // Breadcrumbs above the article.
    let crumb = "الرئيسية » أخبار محلية » خطة حكومية جديدة لدعم المزارعين";
    assert_eq!(reason_of(&page(&[crumb, AR_TITLE, AR_P1]), crumb), "nav");
    let crumb = "Home > World > Europe";
    assert_eq!(reason_of(&page(&[crumb, EN_P1, EN_P2]), crumb), "nav");
    // Guillemet quotes are not separators.
    let quote = "قال الوزير « لن نتراجع » وأضاف « الخطة » ماضية";
    assert_eq!(reason_of(&page(&[AR_P1, quote, AR_P2]), quote), "content");
}

#[test]
fn read_also_boxes_and_capital_domains() {
    let p = page(&[
        AR_P1,
        "اقرأ أيضا:",
        "وزير الزراعة يفتتح سوقا جديدة للمنتجات المحلية",
        "ارتفاع أسعار الأسمدة للمرة الثالثة هذا العام",
        "الري الحديث",
        AR_P2,
    ]);
    let r = reasons(&p);
    assert_eq!(
        (r[1].1, r[2].1, r[3].1, r[4].1, r[5].1),
        ("lexicon", "lexicon", "lexicon", "content", "content"),
        "{r:?}"
    );
    assert_eq!(
        reason_of(&page(&["EXAMPLE.NEWS", AR_P1]), "EXAMPLE.NEWS"),
        "url"
    );
    let not_url = "Mr.Smith";
    assert_eq!(
        reason_of(&page(&[AR_P1, not_url, AR_P2]), not_url),
        "content"
    );
}

#[test]
fn structure_rules_are_idempotent() {
    let pages = [
        page(&[
            "سياسة",
            "شارك هذا المقال عبر واتساب",
            "أخبار عربية",
            AR_TITLE,
            AR_P1,
            AR_P2,
        ]),
        page(&[
            "موقع الأخبار اليومية",
            "سياسة",
            "أخبار عربية",
            AR_TITLE,
            AR_P1,
            AR_P2,
        ]),
        page(&["أسعار القمح", "سامي يوسف", AR_TITLE, AR_P1, AR_P2]),
        page(&[AR_P1, AR_P2, "ملاعب", "12/03/2021 10:45", "فنون وثقافة"]),
        page(&[
            AR_BLURB,
            "الرئيسية",
            "آخر الأخبار",
            "رياضة",
            AR_TITLE,
            AR_P1,
            AR_P2,
        ]),
        page(&[
            AR_P1,
            AR_P2,
            "سياسة",
            "الأكثر قراءة",
            "اقتصاد",
            AR_P3,
            "ملاعب",
            "سيارات",
        ]),
        page(&["الحلقة 3 من 10", "ملاعب", "الحلقة 4 من 10", AR_P1, AR_P2]),
        page(&[
            AR_P1,
            "اقرأ أيضا:",
            "وزير الزراعة يفتتح سوقا جديدة للمنتجات المحلية",
            AR_P2,
        ]),
    ];
    for p in pages {
        let (once, _) = stripper().strip(&p, None, None);
        let (twice, removed) = stripper().strip(&once, None, None);
        assert_eq!((twice.as_str(), removed), (once.as_str(), 0), "{p}");
    }
}

#[test]
fn offsets_and_counts() {
    let text = "Share\r\n\nسطر عربي طويل بما يكفي ليكون جملة كاملة من جمل المقال هنا.\nTT";
    let lines = stripper().classify(text, None, None);
    assert_eq!(lines.len(), 4);
    assert_eq!((lines[0].start, lines[0].end), (0, 5));
    let l = &lines[2];
    assert_eq!(
        &text[l.start..l.end],
        "سطر عربي طويل بما يكفي ليكون جملة كاملة من جمل المقال هنا."
    );
    let chars: Vec<char> = text.chars().collect();
    let s: String = chars[l.char_start..l.char_end].iter().collect();
    assert_eq!(s, &text[l.start..l.end]);
    let (out, removed) = stripper().strip(text, None, None);
    assert_eq!(out, &text[l.start..l.end]);
    assert_eq!(removed, 2);
    assert_eq!(stripper().strip("", None, None), (String::new(), 0));
}

#[test]
fn aggressiveness_names() {
    for n in Aggressiveness::NAMES {
        assert_eq!(Aggressiveness::parse(n).unwrap().as_str(), n);
    }
    assert!(matches!(
        Aggressiveness::parse("max"),
        Err(CoreError::UnknownName { .. })
    ));
}

fn site_page(story: &str, furniture: &[&str]) -> String {
    let mut lines = vec![story];
    lines.extend_from_slice(furniture);
    lines.join("\n")
}

const ABOUT: &str = "نحن موقع إخباري مستقل نعمل على تقديم الأخبار والتحليلات بمهنية وحياد منذ سنوات طويلة، ونلتزم بمعايير الصحافة.";

#[test]
fn corpus_model_learns_site_furniture() {
    let stories = [AR_P1, AR_P2, AR_P3, EN_P1, EN_P2];
    let pages: Vec<String> = stories
        .iter()
        .map(|s| site_page(s, &["فريق التحرير", ABOUT]))
        .collect();
    let model = CorpusModel::fit(
        pages.iter().map(|p| (p.as_str(), Some("a.example"))),
        ModelOptions::default(),
    )
    .unwrap();
    let r: Vec<&str> = stripper()
        .classify(&pages[0], Some(&model), Some("a.example"))
        .iter()
        .map(|l| l.reason.as_str())
        .collect();
    assert_eq!(r, ["content", "corpus_repeated", "corpus_repeated"]);
    // A site the model has not seen: short furniture from the corpus-wide counts only,
    // never another site's prose.
    let r: Vec<&str> = stripper()
        .classify(&pages[0], Some(&model), Some("b.example"))
        .iter()
        .map(|l| l.reason.as_str())
        .collect();
    assert_eq!(r, ["content", "corpus_repeated", "content"]);
}

/// Distinct words (line keys fold digits, so numbered lines would all look alike).
const TAGS: &[&str] = &[
    "الأول",
    "الثاني",
    "الثالث",
    "الرابع",
    "الخامس",
    "السادس",
    "السابع",
    "الثامن",
    "التاسع",
    "العاشر",
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "zeta",
    "eta",
    "theta",
    "iota",
    "kappa",
];

fn fit_sites(pages: &[(String, &str)], with_sites: bool) -> CorpusModel {
    CorpusModel::fit(
        pages
            .iter()
            .map(|(t, s)| (t.as_str(), with_sites.then_some(*s))),
        ModelOptions::default(),
    )
    .unwrap()
}

/// A paragraph that opens a text of its own (no leading conjunction).
const TEASER: &str = "أفادت وكالة أنباء محلية بأن الأمطار الغزيرة تسببت في إغلاق عدة طرق رئيسية في شمال البلاد، وفق ما نقلت عن مسؤولين.";

#[test]
fn corpus_model_keeps_background_that_continues_the_article() {
    // A background paragraph ("and ...") a site reuses as the last paragraph of six stories
    // of one event continues each article and stays; a teaser in the same place goes.
    for (last, kept) in [(AR_P3, true), (TEASER, false)] {
        let pages: Vec<(String, &str)> = (0..6)
            .map(|i| {
                (
                    format!(
                        "{} {AR_P1}
{} {EN_P1}
{last}",
                        TAGS[i],
                        TAGS[i + 6]
                    ),
                    "s",
                )
            })
            .collect();
        let model = fit_sites(&pages, true);
        let (out, _) = stripper().strip(&pages[0].0, Some(&model), Some("s"));
        assert_eq!(out.contains(last), kept, "{last}");
    }
}

#[test]
fn corpus_model_protects_syndicated_paragraphs() {
    // A wire paragraph that two outlets both carry under eight different leads each.
    let wire = TEASER;
    let page = |i: usize, site: &str, with_wire: bool| {
        let own = format!("{AR_P1} {} من موقع {site}", TAGS[i]);
        if with_wire {
            format!("{own}\n{wire}")
        } else {
            own
        }
    };
    let mut pages = Vec::new();
    for site in ["a.example", "b.example"] {
        for i in 0..10 {
            pages.push((page(i, site, i < 8), site));
        }
    }
    let model = fit_sites(&pages, true);
    for site in [Some("a.example"), Some("b.example"), None] {
        let (out, _) = stripper().strip(&pages[0].0, Some(&model), site);
        assert!(out.contains(wire), "{site:?}");
    }
    // Control: printed under eight stories of one site only, it is that site's furniture.
    let one_site: Vec<(String, &str)> = pages[..10].to_vec();
    let model = fit_sites(&one_site, true);
    let (out, _) = stripper().strip(&pages[0].0, Some(&model), Some("a.example"));
    assert!(!out.contains(wire));

    // One story republished eight times by one site (same lead): article text, kept.
    let same: Vec<(String, &str)> = (0..8).map(|_| (page(0, "a", true), "a")).collect();
    for with_sites in [true, false] {
        let model = fit_sites(&same, with_sites);
        let (out, _) = stripper().strip(&same[0].0, Some(&model), Some("a"));
        assert!(out.contains(wire));
    }

    // Without sites, a paragraph on a few pages of a corpus stays.
    let few: Vec<(String, &str)> = (0..20).map(|i| (page(i, "x", i < 4), "x")).collect();
    let model = fit_sites(&few, false);
    let (out, _) = stripper().strip(&few[0].0, Some(&model), None);
    assert!(out.contains(wire));
}

#[test]
fn corpus_model_keeps_a_pages_own_lead() {
    // A story's lead appended as a teaser under other stories is furniture there, not on
    // the story's own page.
    let teaser = AR_P2;
    let mut pages: Vec<(String, &str)> = (0..6)
        .map(|i| (format!("{} {EN_P1}\n{EN_P2}\n{teaser}", TAGS[i]), "s"))
        .collect();
    pages.push((format!("{teaser}\n{AR_P3}"), "s"));
    let model = fit_sites(&pages, true);
    let (out, _) = stripper().strip(&pages[0].0, Some(&model), Some("s"));
    assert!(!out.contains(teaser));
    let (out, _) = stripper().strip(&pages[6].0, Some(&model), Some("s"));
    assert!(out.contains(teaser));
}

#[test]
fn corpus_model_keeps_reused_paragraphs_inside_articles() {
    // A quote paragraph reused inside six stories of one site, between their own
    // paragraphs, stays; an about box after the article goes.
    let quote = AR_P3;
    let pages: Vec<(String, &str)> = (0..6)
        .map(|i| {
            (
                format!(
                    "{} {AR_P1}\n{quote}\n{} {EN_P1}\n{ABOUT}",
                    TAGS[i],
                    TAGS[i + 6]
                ),
                "s",
            )
        })
        .collect();
    let model = fit_sites(&pages, true);
    let lines = stripper().classify(&pages[0].0, Some(&model), Some("s"));
    let r: Vec<&str> = lines.iter().map(|l| l.reason.as_str()).collect();
    assert_eq!(r, ["content", "content", "content", "corpus_repeated"]);
    // Stripping again with the model changes nothing.
    let (once, _) = stripper().strip(&pages[0].0, Some(&model), Some("s"));
    let (twice, removed) = stripper().strip(&once, Some(&model), Some("s"));
    assert_eq!((twice.as_str(), removed), (once.as_str(), 0));
}

#[test]
fn corpus_model_merge_and_bytes() {
    let a: Vec<String> = (0..4)
        .map(|i| format!("{AR_P1} {i}\nتابعونا\nسطر {i}"))
        .collect();
    let b: Vec<String> = (0..3).map(|i| format!("{EN_P1} {i}\nتابعونا")).collect();
    let opts = ModelOptions::default();
    let ma = CorpusModel::fit(a.iter().map(|t| (t.as_str(), Some("x"))), opts).unwrap();
    let mb = CorpusModel::fit(b.iter().map(|t| (t.as_str(), Some("y"))), opts).unwrap();
    let all = CorpusModel::fit(
        a.iter()
            .map(|t| (t.as_str(), Some("x")))
            .chain(b.iter().map(|t| (t.as_str(), Some("y")))),
        opts,
    )
    .unwrap();
    let merged = ma.merge(&mb).unwrap();
    assert_eq!(merged, all);
    assert_eq!(merged.n_pages(), 7);
    let bytes = merged.to_bytes();
    let back = CorpusModel::from_bytes(&bytes).unwrap();
    assert_eq!(back, merged);
    assert_eq!(back.to_bytes(), bytes);
    // Corrupt data is refused, never trusted.
    for bad in [
        &bytes[..bytes.len() - 1],
        &bytes[..10],
        b"NOTAMODEL".as_slice(),
    ] {
        assert!(matches!(
            CorpusModel::from_bytes(bad),
            Err(CoreError::InvalidState(_))
        ));
    }
    let mut wrong_version = bytes.clone();
    wrong_version[8] = 99;
    assert!(CorpusModel::from_bytes(&wrong_version).is_err());
    let mut trailing = bytes.clone();
    trailing.push(0);
    assert!(CorpusModel::from_bytes(&trailing).is_err());
    // The first entry's page count, set above its site's pages (checksum recomputed, so
    // the parser's own check is what refuses it).
    let header = 8 + 2 + 8 + 4 + 4 + 4 + (4 + 1 + 4) * 2 + 8;
    let mut wrong_pages = bytes.clone();
    wrong_pages[header + 12..header + 16].copy_from_slice(&1000u32.to_le_bytes());
    let sum = xxhash_rust::xxh3::xxh3_64(&wrong_pages[18..]);
    wrong_pages[10..18].copy_from_slice(&sum.to_le_bytes());
    let err = CorpusModel::from_bytes(&wrong_pages).unwrap_err();
    assert!(err.to_string().contains("page count"), "{err}");
    // Options must match to merge; bad options are refused.
    let other = CorpusModel::fit(
        b.iter().map(|t| (t.as_str(), None)),
        ModelOptions { min_df: 5, ..opts },
    )
    .unwrap();
    assert!(ma.merge(&other).is_err());
    assert!(ModelBuilder::new(ModelOptions { min_df: 1, ..opts }).is_err());
    assert!(ModelBuilder::new(ModelOptions {
        prose_min_df: 17,
        ..opts
    })
    .is_err());
}

#[test]
fn hashes_are_fixed() {
    // Persisted models depend on this value: it must never change between builds.
    assert_eq!(
        format!("{:016x}", lines::hash_key("اخبار")),
        "42bee87dc05771f6"
    );
    let mut km = KeyMaker::new();
    assert_eq!(km.key("اقرأ أيضاً:"), "اقرا ايضا");
    assert_eq!(km.key("Share THIS — ٢٠٢٤"), "share this 2024");
}

// ---- property tests ----

const WORDS_AR: &[&str] = &[
    "الحكومة",
    "أعلنت",
    "اليوم",
    "عن",
    "خطة",
    "جديدة",
    "لدعم",
    "المزارعين",
    "في",
    "المناطق",
    "الريفية",
    "وقال",
    "المتحدث",
    "إن",
    "الوزارة",
    "ستبدأ",
    "تنفيذ",
    "المشروع",
    "خلال",
    "الأشهر",
    "المقبلة",
    "بالتعاون",
    "مع",
    "البلديات",
    "والجمعيات",
    "المحلية",
    "الأسعار",
    "ارتفعت",
    "بشكل",
    "ملحوظ",
    "منذ",
    "بداية",
    "العام",
    "الماضي",
];
const WORDS_EN: &[&str] = &[
    "the",
    "council",
    "said",
    "on",
    "Tuesday",
    "that",
    "a",
    "new",
    "plan",
    "would",
    "support",
    "farmers",
    "in",
    "rural",
    "areas",
    "during",
    "next",
    "season",
    "prices",
    "rose",
    "sharply",
    "since",
    "last",
    "year",
    "officials",
    "expect",
    "growth",
    "to",
    "continue",
];
const ENDS: &[&str] = &[".", "؟", "!", ".»", ".\"", "."];

fn sentence() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        prop::collection::vec(0usize..1000, 9..40),
        0usize..ENDS.len(),
    )
        .prop_map(|(ar, idx, end)| {
            let words = if ar { WORDS_AR } else { WORDS_EN };
            let mut s: Vec<&str> = idx.iter().map(|&i| words[i % words.len()]).collect();
            if ar && s.len() > 12 {
                s[6] = "الحكومة،";
            }
            format!("{}{}", s.join(" "), ENDS[end])
        })
}

/// A page made of the furniture every generated page shares.
fn joint_probe() -> String {
    format!("{AR_P2}\nتابعونا\nتابعونا")
}

#[test]
fn story_counts_do_not_depend_on_the_order_of_merges() {
    // One line under 20 stories, in two partitions that share some: whichever absorbs
    // the other, the line counts min(MAX_STORIES, distinct stories) and all its pages.
    let page = |i: usize| format!("{AR_P1} {}\nفريق التحرير", TAGS[i]);
    // min_df = MAX_STORIES: the line is repeated only if all of its stories count.
    let opts = ModelOptions {
        min_df: model::MAX_STORIES,
        prose_min_df: model::MAX_STORIES,
    };
    let pages = |r: std::ops::Range<usize>| r.map(page).collect::<Vec<String>>();
    let fit = |p: &[String]| CorpusModel::fit(p.iter().map(|p| (p.as_str(), Some("s"))), opts);
    let (a, b) = (fit(&pages(0..12)).unwrap(), fit(&pages(6..20)).unwrap());
    assert_eq!((a.n_repeated(), b.n_repeated()), (0, 0));
    let (mut ab, mut ba) = (a.clone(), b.clone());
    ab.absorb(&b).unwrap();
    ba.absorb(&a).unwrap();
    let joint = fit(&[pages(0..12), pages(6..20)].concat()).unwrap();
    assert_eq!(ab, joint);
    for m in [&ab, &ba] {
        assert_eq!(m.n_pages(), 26);
        assert_eq!(m.n_entries(), joint.n_entries());
        assert_eq!(m.n_repeated(), 1);
        let lines = stripper().classify(&page(0), Some(m), Some("s"));
        assert_eq!(lines[1].reason.as_str(), "corpus_repeated");
    }
    // A failed absorb changes nothing.
    let other = CorpusModel::fit([("x", None)], ModelOptions::default()).unwrap();
    let before = ab.to_bytes();
    assert!(ab.absorb(&other).is_err());
    assert_eq!(ab.to_bytes(), before);
}

fn article() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(sentence(), 1..12).prop_map(|mut v| {
        // Paragraphs of a real article are distinct.
        let mut seen = std::collections::HashSet::new();
        v.retain(|s| {
            let mut km = KeyMaker::new();
            seen.insert(km.key(s).to_owned())
        });
        v
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn no_content_lost_without_furniture(paras in article()) {
        let text = paras.join("\n");
        let (out, removed) = stripper().strip(&text, None, None);
        prop_assert_eq!(removed, 0);
        prop_assert_eq!(out, text);
    }

    #[test]
    fn idempotent(
        paras in article(),
        extra in prop::collection::vec(
            prop::sample::select(vec![
                "Share", "TT", "مقالات ذات صلة", "اقرأ أيضا", "عنوان قصير", "عنوان قصير",
                "صورة (أ.ف.ب)", "www.example.com", "", "Related", "خلفية", "منذ 3 ساعات",
                "تعليق الصورة هنا", "تعليق الصورة", "a | b | c | d", "X",
            ]),
            0..12,
        ),
        positions in prop::collection::vec(0usize..100, 12),
        aggr in 0usize..3,
    ) {
        let mut lines = paras;
        for (i, e) in extra.iter().enumerate() {
            let at = positions[i] % (lines.len() + 1);
            lines.insert(at, (*e).to_owned());
        }
        let text = lines.join("\n");
        let s = Stripper::new(Options {
            aggressiveness: Aggressiveness::parse(Aggressiveness::NAMES[aggr]).unwrap(),
            ..Options::default()
        });
        let (once, _) = s.strip(&text, None, None);
        let (twice, removed) = s.strip(&once, None, None);
        prop_assert_eq!(removed, 0);
        prop_assert_eq!(twice, once);
    }

    #[test]
    fn any_unicode_is_safe(text in "\\PC*(\n\\PC*){0,6}") {
        let lines = stripper().classify(&text, None, None);
        prop_assert_eq!(lines.len(), text.split('\n').count());
        for l in &lines {
            prop_assert!(text.is_char_boundary(l.start) && text.is_char_boundary(l.end));
        }
        let (once, _) = stripper().strip(&text, None, None);
        let (twice, _) = stripper().strip(&once, None, None);
        prop_assert_eq!(twice, once);
    }

    #[test]
    fn model_merge_equals_joint_fit(
        docs in prop::collection::vec((article(), 0usize..3), 1..8),
        split in 0usize..8,
    ) {
        let texts: Vec<(String, String)> = docs
            .into_iter()
            .map(|(p, s)| (p.join("\nتابعونا\n"), format!("site{s}")))
            .collect();
        let split = split.min(texts.len());
        let fit = |d: &[(String, String)]| {
            CorpusModel::fit(d.iter().map(|(t, s)| (t.as_str(), Some(s.as_str()))),
                ModelOptions::default()).unwrap()
        };
        let joint = fit(&texts);
        let merged = fit(&texts[..split]).merge(&fit(&texts[split..])).unwrap();
        prop_assert_eq!(merged.n_pages(), joint.n_pages());
        prop_assert_eq!(merged.n_entries(), joint.n_entries());
        prop_assert_eq!(merged.n_repeated(), joint.n_repeated());
        let back = CorpusModel::from_bytes(&merged.to_bytes()).unwrap();
        prop_assert_eq!(back.n_entries(), merged.n_entries());
    }

    #[test]
    fn absorbing_in_place_equals_joint_fit(
        docs in prop::collection::vec((article(), 0usize..3), 1..10),
        cuts in prop::collection::vec(0usize..10, 0..4),
    ) {
        let texts: Vec<(String, String)> = docs
            .into_iter()
            .map(|(p, s)| (p.join("\nتابعونا\n"), format!("site{s}")))
            .collect();
        let mut bounds: Vec<usize> = cuts.into_iter().map(|c| c.min(texts.len())).collect();
        bounds.extend([0, texts.len()]);
        bounds.sort_unstable();
        let opts = ModelOptions::default();
        fn rows(d: &[(String, String)]) -> Vec<(&str, Option<&str>)> {
            d.iter().map(|(t, s)| (t.as_str(), Some(s.as_str()))).collect()
        }
        let joint = CorpusModel::fit(rows(&texts), opts).unwrap();
        // Batches counted into one running builder; builders absorbed; models absorbed.
        let mut running = ModelBuilder::new(opts).unwrap();
        let mut absorbed = ModelBuilder::new(opts).unwrap();
        let mut model = CorpusModel::fit([], opts).unwrap();
        for w in bounds.windows(2) {
            let part = &texts[w[0]..w[1]];
            for (t, s) in rows(part) {
                running.add(t, s);
            }
            let mut b = ModelBuilder::new(opts).unwrap();
            for (t, s) in rows(part) {
                b.add(t, s);
            }
            absorbed.absorb(b).unwrap();
            model.absorb(&CorpusModel::fit(rows(part), opts).unwrap()).unwrap();
        }
        let bytes = joint.to_bytes();
        prop_assert_eq!(&running.build().to_bytes(), &bytes);
        prop_assert_eq!(&absorbed.build().to_bytes(), &bytes);
        prop_assert_eq!(&model.to_bytes(), &bytes);
        // The corpus-wide counts kept in place decide as the rebuilt ones do.
        let rebuilt = CorpusModel::from_bytes(&bytes).unwrap();
        for page in texts.iter().map(|(t, _)| t).chain([&joint_probe()]) {
            for site in [None, Some("site0"), Some("site1"), Some("elsewhere")] {
                prop_assert_eq!(
                    stripper().strip(page, Some(&model), site),
                    stripper().strip(page, Some(&rebuilt), site)
                );
            }
        }
    }
}
