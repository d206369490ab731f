//! Furniture phrases common to many Arabic and English news sites.
//!
//! Every phrase is stored as the hash of its line key (see [`super::lines::make_key`]), so
//! spelling variants (`اقرأ أيضاً` / `اقرا ايضا`, `Share` / `SHARE`) match the same entry.
//! The lists describe site furniture in general (menus, share widgets, comment forms,
//! "related articles" tails, copyright footers, photo credits); they are deliberately not
//! taken from any evaluation page.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use super::lines::{hash_key, KeyMaker};

/// The whole line is this phrase.
pub(crate) const EXACT: u16 = 1;
/// The line starts a tail of other articles or comments (when article text precedes it).
pub(crate) const ANCHOR_STRONG: u16 = 1 << 1;
/// "Read also": the next headline is a link, the article may continue after it.
pub(crate) const ANCHOR_WEAK: u16 = 1 << 2;
/// A short line that starts with this phrase is furniture.
pub(crate) const PREFIX: u16 = 1 << 3;
/// A short line that starts with this phrase and carries a date is a byline.
pub(crate) const BYLINE_DATED: u16 = 1 << 4;
/// A very short line that starts with this phrase is a byline (`By ...`, `بقلم ...`).
pub(crate) const BYLINE_MARKER: u16 = 1 << 5;
/// A short line that starts with this phrase is a photo caption or credit.
pub(crate) const CAPTION_PREFIX: u16 = 1 << 6;
/// A word that may appear in a date/time-only line.
pub(crate) const DATE_WORD: u16 = 1 << 7;
/// The first word of a `Label: ...` caption.
pub(crate) const CAPTION_LABEL: u16 = 1 << 8;
/// A very short line `Label: name` with this label is a byline.
pub(crate) const BYLINE_LABEL: u16 = 1 << 9;
/// A very short unpunctuated line starting with this credits a republished piece.
pub(crate) const CREDIT_PREFIX: u16 = 1 << 10;

/// Whole-line furniture: navigation labels, widgets, buttons, empty-widget notices.
const EXACT_PHRASES: &[&str] = &[
    // skip links, menus, search
    "التخطي إلى المحتوى",
    "انتقل إلى المحتوى",
    "تخط إلى المحتوى",
    "تجاوز إلى المحتوى",
    "الانتقال إلى المحتوى الرئيسي",
    "انتقل إلى المحتوى الرئيسي",
    "skip to content",
    "skip to main content",
    "jump to content",
    "skip navigation",
    "الرئيسية",
    "الصفحة الرئيسية",
    "القائمة",
    "القائمة الرئيسية",
    "بحث",
    "ابحث",
    "إغلاق",
    "home",
    "homepage",
    "menu",
    "main menu",
    "search",
    "close",
    "toggle navigation",
    "المزيد",
    "عرض المزيد",
    "تحميل المزيد",
    "جاري التحميل",
    "more",
    "show more",
    "load more",
    "loading",
    "إعلان",
    "إعلانات",
    "محتوى مدفوع",
    "advertisement",
    "sponsored",
    "ad",
    // share, print, social
    "شارك",
    "مشاركة",
    "شارك الخبر",
    "شارك المقال",
    "شارك هذا المقال",
    "انشر",
    "طباعة",
    "اطبع",
    "أرسل",
    "إرسال",
    "البريد الإلكتروني",
    "فيسبوك",
    "تويتر",
    "إكس",
    "واتساب",
    "تلغرام",
    "تيليجرام",
    "انستغرام",
    "إنستغرام",
    "يوتيوب",
    "لينكدإن",
    "نسخ الرابط",
    "تم نسخ الرابط",
    "الرابط المختصر",
    "رابط مختصر",
    "share",
    "share this",
    "share this article",
    "share on",
    "tweet",
    "print",
    "email",
    "e-mail",
    "facebook",
    "twitter",
    "whatsapp",
    "telegram",
    "linkedin",
    "instagram",
    "youtube",
    "copy link",
    "link copied",
    "copied",
    // comments
    "تعليقات",
    "التعليقات",
    "أضف تعليق",
    "أضف تعليقا",
    "أضف تعليقك",
    "اترك تعليقا",
    "اترك رد",
    "اترك ردا",
    "إلغاء الرد",
    "comments",
    "comment",
    "leave a reply",
    "leave a comment",
    "cancel reply",
    "post comment",
    "no comments",
    // back to top, trending, follow, subscribe, login
    "زر الذهاب إلى الأعلى",
    "العودة إلى الأعلى",
    "الذهاب إلى الأعلى",
    "إلى الأعلى",
    "للأعلى",
    "back to top",
    "scroll to top",
    "go to top",
    "الشائع",
    "الأكثر شيوعا",
    "رائج",
    "الرائج",
    "trending",
    "trending now",
    "تابعنا",
    "تابعونا",
    "follow us",
    "اشترك",
    "اشترك الآن",
    "النشرة البريدية",
    "النشرة الإخبارية",
    "subscribe",
    "subscribe now",
    "newsletter",
    "سجل الدخول",
    "تسجيل الدخول",
    "تسجيل الخروج",
    "sign in",
    "log in",
    "login",
    "sign up",
    "register",
    "الشعار",
    "شعار",
    "logo",
    "site logo",
    // empty widgets
    "لا توجد أخبار",
    "لا توجد نتائج",
    "لا توجد مقالات",
    "لا توجد تعليقات",
    "لا يوجد تعليقات",
    "no stories found",
    "no results found",
    "no posts found",
    "no articles found",
    "nothing found",
    // taxonomy and pagination
    "وسوم",
    "الوسوم",
    "كلمات مفتاحية",
    "الكلمات المفتاحية",
    "الكلمات الدلالية",
    "تصنيفات",
    "التصنيفات",
    "tags",
    "topics",
    "categories",
    "السابق",
    "التالي",
    "المقال السابق",
    "المقال التالي",
    "الخبر السابق",
    "الخبر التالي",
    "previous",
    "next",
    "previous article",
    "next article",
    "previous post",
    "next post",
    // QR codes, apps, legal links
    "امسح الرمز",
    "امسح الكود",
    "امسح رمز الاستجابة السريعة",
    "scan the code",
    "scan the qr code",
    "scan qr code",
    "حمل التطبيق",
    "download the app",
    "اتصل بنا",
    "من نحن",
    "سياسة الخصوصية",
    "شروط الاستخدام",
    "أعلن معنا",
    "contact us",
    "about us",
    "privacy policy",
    "terms of use",
    "terms of service",
    "cookie settings",
    "accept",
    "accept all",
    "read more",
    "continue reading",
    "اقرأ المزيد",
    "تابع القراءة",
];

/// Lines after which the rest of the page is other articles or comments. A bare
/// "Comments" label is not among them: it can also be an article's subheading.
const STRONG_ANCHORS: &[&str] = &[
    "مقالات ذات صلة",
    "أخبار ذات صلة",
    "مواضيع ذات صلة",
    "موضوعات ذات صلة",
    "مقالات مشابهة",
    "أخبار مشابهة",
    "مواضيع مشابهة",
    "مقالات متعلقة",
    "أخبار متعلقة",
    "قد يعجبك أيضا",
    "قد يعجبك",
    "قد يهمك أيضا",
    "قد يهمك",
    "ننصحك بقراءة",
    "الأكثر قراءة",
    "الأكثر مشاهدة",
    "الأكثر تداولا",
    "الأكثر تعليقا",
    "الأكثر شعبية",
    "المزيد من الأخبار",
    "المزيد من المقالات",
    "آخر الأخبار",
    "أحدث الأخبار",
    "أخبار أخرى",
    "مقالات أخرى",
    "أضف تعليق",
    "أضف تعليقك",
    "اترك تعليقا",
    "اترك رد",
    "اترك ردا",
    "related",
    "related articles",
    "related posts",
    "related stories",
    "related news",
    "related content",
    "you may also like",
    "you might also like",
    "more stories",
    "more news",
    "most read",
    "most popular",
    "most viewed",
    "latest news",
    "latest stories",
    "recommended",
    "recommended for you",
    "read next",
    "what to read next",
    "leave a reply",
    "leave a comment",
];

/// "Read also" links: the line itself and the headline after it are furniture.
const WEAK_ANCHORS: &[&str] = &[
    "اقرأ أيضا",
    "إقرأ أيضا",
    "اقرأ كذلك",
    "طالع أيضا",
    "شاهد أيضا",
    "اقرأ المزيد",
    "read also",
    "also read",
    "see also",
    "read more",
];

/// Short lines starting with these are furniture.
const PREFIXES: &[&str] = &[
    "للمزيد",
    "قد يهمك",
    "قد يعجبك",
    "شارك على",
    "شارك عبر",
    "شارك هذا",
    "شاركها",
    "مشاركة عبر",
    "تابعونا على",
    "تابعنا على",
    "تابعوا",
    "تابعونا عبر",
    "تابعنا عبر",
    "اشترك في",
    "اشترك ب",
    "اشترك الآن",
    "انضم إلى",
    "انضموا إلى",
    "حمل تطبيق",
    "انقر هنا",
    "اضغط هنا",
    "لمزيد من الأخبار",
    "للمزيد من الأخبار",
    "لمتابعة آخر",
    "لمتابعة أخبار",
    "لقراءة المزيد",
    "اقرأ أيضا",
    "إقرأ أيضا",
    "اقرأ كذلك",
    "طالع أيضا",
    "شاهد أيضا",
    "اقرأ المزيد",
    "جميع الحقوق محفوظة",
    "كل الحقوق محفوظة",
    "الحقوق محفوظة",
    "حقوق النشر",
    "حقوق الطبع",
    "نشر هذا المقال",
    "ظهر هذا المقال",
    "share on",
    "share via",
    "share this",
    "follow us",
    "subscribe to",
    "sign up for",
    "sign up to",
    "join our",
    "download our app",
    "download the app",
    "click here",
    "tap here",
    "read also",
    "also read",
    "see also",
    "read more",
    "all rights reserved",
    "copyright",
    "this article was originally published",
    "this story was originally published",
    "this article first appeared",
    "for more news",
    "get the latest",
];

/// Phrases that mark a short line as furniture wherever they occur in it.
pub(crate) const CONTAINS: &[&str] = &[
    "جميع الحقوق محفوظة",
    "الحقوق محفوظة",
    "all rights reserved",
    "ملفات تعريف الارتباط",
    "ملفات الكوكيز",
    "we use cookies",
    "this website uses cookies",
    "this site uses cookies",
    "cookie policy",
    "report this image",
    "thanks for reporting",
    "enable javascript",
    "your browser does not support",
    "تمثل رأي كتابها",
    "تمثل رأي كاتبها",
    "تعبر عن رأي كتابها",
    "تعبر عن رأي كاتبها",
    "تعبر عن رأي الكاتب",
    "لا تعبر بالضرورة عن",
    "لا تعكس بالضرورة",
    "views expressed",
    "do not necessarily reflect",
    "متصفحك لا يدعم",
];

/// A short line starting with these and carrying a date is a "published on" byline.
const BYLINE_DATED_PREFIXES: &[&str] = &[
    "نشر في",
    "نشر بتاريخ",
    "نشر يوم",
    "نشرت في",
    "تاريخ النشر",
    "آخر تحديث",
    "تم التحديث",
    "تحديث",
    "تم النشر",
    "منذ",
    "published",
    "published on",
    "posted",
    "posted on",
    "updated",
    "last updated",
    "first published",
];

/// A very short, unpunctuated line starting with these is a byline.
const BYLINE_MARKERS: &[&str] = &[
    "بقلم",
    "by",
    "written by",
    "reporting by",
    "editing by",
    "reported by",
];

/// The same, only when a colon follows (`تحرير` is also "liberation", `كتب` "books").
const BYLINE_LABELS: &[&str] = &[
    "كتب",
    "كتبت",
    "كتبه",
    "إعداد",
    "تحرير",
    "الكاتب",
    "المحرر",
    "المصدر",
    "author",
    "source",
];

/// Short unpunctuated lines starting with these are photo captions or credits.
const CAPTION_PREFIXES: &[&str] = &[
    "صورة أرشيفية",
    "صورة من",
    "الصورة من",
    "مصدر الصورة",
    "صورة تعبيرية",
    "file photo",
    "photo by",
    "photo credit",
    "image credit",
    "image source",
    "image caption",
];

/// A very short unpunctuated line starting with these credits a republished piece.
const CREDIT_PREFIXES: &[&str] = &[
    "نقلا عن",
    "نقلاً عن",
    "عن صحيفة",
    "originally published",
    "republished from",
    "courtesy of",
];

/// `Label: ...` captions.
const CAPTION_LABELS: &[&str] = &[
    "صورة",
    "الصورة",
    "صور",
    "تصوير",
    "photo",
    "image",
    "picture",
    "credit",
    "photograph",
];

/// Words of date/time-only lines (months, days, clock words, "ago").
const DATE_WORDS: &[&str] = &[
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "ابريل",
    "مايو",
    "يونيو",
    "يونيه",
    "يوليو",
    "يوليه",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
    "كانون",
    "الثاني",
    "الأول",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين",
    "السبت",
    "الأحد",
    "الاثنين",
    "الإثنين",
    "الثلاثاء",
    "الأربعاء",
    "الخميس",
    "الجمعة",
    "ص",
    "م",
    "هـ",
    "الساعة",
    "بتوقيت",
    "غرينتش",
    "مكة",
    "القاهرة",
    "منذ",
    "ساعة",
    "ساعات",
    "ساعتين",
    "دقيقة",
    "دقائق",
    "دقيقتين",
    "يوم",
    "أيام",
    "يومين",
    "أسبوع",
    "شهر",
    "اليوم",
    "أمس",
    "في",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "am",
    "pm",
    "gmt",
    "utc",
    "ago",
    "hour",
    "hours",
    "minute",
    "minutes",
    "min",
    "mins",
    "day",
    "days",
    "today",
    "yesterday",
    "at",
    "on",
    "st",
    "nd",
    "rd",
    "th",
];

/// Agency and photo credits, as letters only (`أ.ف.ب` → `افب`).
const CREDITS: &[&str] = &[
    "أ.ف.ب",
    "إ.ب.أ",
    "أ.ب",
    "د.ب.أ",
    "رويترز",
    "الأناضول",
    "أناضول",
    "واس",
    "وام",
    "قنا",
    "كونا",
    "سانا",
    "بترا",
    "شينخوا",
    "سبوتنيك",
    "تاس",
    "وكالات",
    "أرشيفية",
    "صورة أرشيفية",
    "أرشيف",
    "متداولة",
    "مواقع التواصل",
    "مواقع التواصل الاجتماعي",
    "وسائل التواصل",
    "خاص",
    "afp",
    "reuters",
    "ap",
    "epa",
    "efe",
    "dpa",
    "ansa",
    "getty",
    "getty images",
    "shutterstock",
    "istock",
    "alamy",
    "anadolu",
    "xinhua",
    "file",
    "file photo",
    "social media",
    "handout",
    "ap photo",
    "afp photo",
    "reuters photo",
    "epa photo",
];

pub(crate) struct Lexicon {
    flags: HashMap<u64, u16>,
    credits: HashSet<String>,
    credit_words: HashSet<String>,
    /// `CONTAINS` phrases (as keys) by the hash of their first word.
    contains: HashMap<u64, Vec<String>>,
}

impl Lexicon {
    fn build() -> Self {
        let mut km = KeyMaker::new();
        let mut flags: HashMap<u64, u16> = HashMap::new();
        let mut add = |phrases: &[&str], flag: u16, km: &mut KeyMaker| {
            for p in phrases {
                let h = hash_key(km.key(p));
                *flags.entry(h).or_insert(0) |= flag;
            }
        };
        add(EXACT_PHRASES, EXACT, &mut km);
        add(STRONG_ANCHORS, EXACT | ANCHOR_STRONG, &mut km);
        add(WEAK_ANCHORS, EXACT | ANCHOR_WEAK, &mut km);
        add(PREFIXES, PREFIX, &mut km);
        add(BYLINE_DATED_PREFIXES, BYLINE_DATED, &mut km);
        add(BYLINE_MARKERS, BYLINE_MARKER, &mut km);
        add(BYLINE_LABELS, BYLINE_LABEL, &mut km);
        add(CREDIT_PREFIXES, CREDIT_PREFIX, &mut km);
        add(CAPTION_PREFIXES, CAPTION_PREFIX, &mut km);
        add(CAPTION_LABELS, CAPTION_LABEL, &mut km);
        add(DATE_WORDS, DATE_WORD, &mut km);
        let credits: HashSet<String> = CREDITS.iter().map(|c| km.compact(c)).collect();
        let credit_words = CREDITS
            .iter()
            .filter(|c| c.is_ascii() && c.len() >= 3 && !c.contains(' '))
            .map(|c| km.compact(c))
            .collect();
        let mut contains: HashMap<u64, Vec<String>> = HashMap::new();
        for p in CONTAINS {
            let k = km.key(p).to_owned();
            let first = hash_key(k.split(' ').next().unwrap_or(""));
            contains.entry(first).or_default().push(k);
        }
        Lexicon {
            flags,
            credits,
            credit_words,
            contains,
        }
    }

    /// The flags of a key (a whole line key or a word-boundary prefix of one).
    #[inline]
    pub(crate) fn flags(&self, key: &str) -> u16 {
        if key.is_empty() {
            return 0;
        }
        self.flags.get(&hash_key(key)).copied().unwrap_or(0)
    }

    /// Whether a `CONTAINS` phrase occurs in `key` (at a word start).
    pub(crate) fn contains_phrase(&self, key: &str) -> bool {
        let mut start = 0;
        for word in key.split(' ') {
            if let Some(phrases) = self.contains.get(&hash_key(word)) {
                let rest = &key[start..];
                if phrases.iter().any(|p| rest.starts_with(p.as_str())) {
                    return true;
                }
            }
            start += word.len() + 1;
        }
        false
    }

    /// Whether the letters-only text inside a trailing parenthesis is a credit.
    pub(crate) fn is_credit(&self, compact: &str, first_word: &str) -> bool {
        self.credits.contains(compact) || self.credit_words.contains(first_word)
    }
}

pub(crate) fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(Lexicon::build)
}
