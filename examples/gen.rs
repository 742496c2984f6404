//! The folder generator behind the benchmarks:
//!
//! ```text
//! cargo run --release --example gen -- DIR N [--seed S]
//! ```
//!
//! writes a realistic customer folder of N customers into DIR (new or empty):
//! the demo's `kith.yaml`, sixteen region sub-folders, and the demo's mix — on
//! average about three purchases a customer with a Pareto-shaped spread
//! (most buy once or twice, a few buy every month and a few of those buy
//! big), deals in every stage, won and lost, tasks done and open, calls,
//! support with its costs, birthdays. The data spans 2024-11-01 to
//! 2026-11-21, like the demo; run kith on it with `--today 2026-11-23`.
//!
//! The same N and seed always give the same bytes: every customer draws from
//! its own random stream (a hand-written splitmix64, seeded by the seed and
//! its number), so the records can be built in parallel in any order. Files
//! are written through `kith::record::emit_record`, so they are canonical.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono::{Datelike, Days, NaiveDate, NaiveTime};
use clap::Parser;
use rayon::prelude::*;

use kith::date::{Date, When, YearlyDate};
use kith::money::Money;
use kith::record::id;
use kith::record::{
    Contact, CustomerKind, Deal, Extra, HistoryEntry, Interaction, Invoice, Outcome, Profile,
    Record, Relationship, Task, Tier, emit_record,
};

/// Writes a realistic customer folder of N customers, for benchmarks.
#[derive(Parser)]
struct Args {
    /// The folder to create (it must not exist, or be empty).
    dir: PathBuf,
    /// How many customers.
    n: usize,
    /// The seed: the same seed gives the same files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match generate(&args.dir, args.n, args.seed) {
        Ok(()) => {
            eprintln!("wrote {} customers to {}", args.n, args.dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// The settings of the demo, so that generated folders read like it.
const KITH_YAML: &str = concat!(
    "# Written by examples/gen.rs, with the settings of fixtures/demo.\n",
    include_str!("../fixtures/demo/kith.yaml")
);

/// Writes `n` customers into `dir`, which must not exist or be empty.
pub fn generate(dir: &Path, n: usize, seed: u64) -> Result<()> {
    if fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some()) {
        bail!("{}: not empty; give a new folder", dir.display());
    }
    for region in REGIONS {
        fs::create_dir_all(dir.join(region.folder))
            .with_context(|| format!("{}: cannot create", dir.display()))?;
    }
    fs::write(dir.join("kith.yaml"), KITH_YAML)
        .with_context(|| format!("{}: cannot write kith.yaml", dir.display()))?;
    let plans: Vec<Plan> = (0..n).into_par_iter().map(|i| plan(seed, i)).collect();
    let ids = unique_ids(&plans);
    (0..n).into_par_iter().try_for_each(|i| {
        let plan = &plans[i];
        let record = customer(&mut Rng::stream(seed, i, 1), plan, &ids[i]);
        let path = dir
            .join(REGIONS[plan.region].folder)
            .join(format!("{}.yaml", ids[i]));
        fs::write(&path, emit_record(&record))
            .with_context(|| format!("{}: cannot write", path.display()))
    })
}

/// Ids derived from the names as `kith add` does, `-2`, `-3` … for names
/// already taken, in customer order so that the result is reproducible.
fn unique_ids(plans: &[Plan]) -> Vec<String> {
    let mut taken = HashSet::with_capacity(plans.len());
    plans
        .iter()
        .map(|p| {
            let id = id::first_free(&id::derive(&p.name), |c| taken.contains(c));
            taken.insert(id.clone());
            id
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Randomness.

/// splitmix64 (Steele, Lea and Flood): tiny, fast and good enough for test
/// data; written out rather than adding a crate.
struct Rng(u64);

impl Rng {
    /// Customer `i`'s own stream `which` for `seed`.
    fn stream(seed: u64, i: usize, which: u64) -> Rng {
        let mut base = Rng(seed ^ which.wrapping_mul(0xD1B5_4A32_D192_ED03));
        Rng(base.next() ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `low..=high`.
    fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.below(high - low + 1)
    }

    /// True with `percent` in a hundred.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// A Pareto-shaped whole number ≥ 1 (exponent 1): `k` or more with
    /// probability about 1/k, capped at `cap`. Integer arithmetic only, so the
    /// files are the same on every platform.
    fn heavy(&mut self, cap: u64) -> u64 {
        (u64::MAX / self.next().max(1)).clamp(1, cap)
    }
}

// ---------------------------------------------------------------------------
// The world: regions, and words in three languages. The tables are laid out
// by hand, one row a line.

#[derive(Clone, Copy, PartialEq)]
enum Lang {
    Zh,
    Ru,
    En,
}

struct Region {
    folder: &'static str,
    lang: Lang,
    phone: &'static str,
    cities: &'static [&'static str],
}

const fn region(
    folder: &'static str,
    lang: Lang,
    phone: &'static str,
    cities: &'static [&'static str],
) -> Region {
    Region {
        folder,
        lang,
        phone,
        cities,
    }
}

#[rustfmt::skip]
const REGIONS: [Region; 16] = [
    region("zhejiang", Lang::Zh, "+86", &["杭州", "宁波", "温州", "绍兴", "嘉兴", "金华"]),
    region("jiangsu", Lang::Zh, "+86", &["南京", "苏州", "无锡", "常州", "南通"]),
    region("shanghai", Lang::Zh, "+86", &["上海"]),
    region("guangdong", Lang::Zh, "+86", &["广州", "深圳", "东莞", "佛山"]),
    region("shandong", Lang::Zh, "+86", &["济南", "青岛", "烟台", "潍坊"]),
    region("sichuan", Lang::Zh, "+86", &["成都", "绵阳", "德阳"]),
    region("chongqing", Lang::Zh, "+86", &["重庆"]),
    region("shaanxi", Lang::Zh, "+86", &["西安", "宝鸡", "咸阳"]),
    region("hubei", Lang::Zh, "+86", &["武汉", "宜昌", "襄阳"]),
    region("beijing", Lang::Zh, "+86", &["北京", "天津"]),
    region("moscow", Lang::Ru, "+7", &["Москва"]),
    region("siberia", Lang::Ru, "+7", &["Новосибирск", "Красноярск", "Иркутск"]),
    region("urals", Lang::Ru, "+7", &["Екатеринбург", "Челябинск", "Пермь"]),
    region("uk", Lang::En, "+44", &["London", "Manchester", "Leeds"]),
    region("usa", Lang::En, "+1", &["Chicago", "Seattle", "Boston"]),
    region("singapore", Lang::En, "+65", &["Singapore"]),
];

#[rustfmt::skip]
const ZH_BRANDS: &[&str] = &[
    "星河", "东方", "港湾", "恒润", "天府", "山城", "古城", "新材", "鹿城", "禾丰",
    "金陵", "瑞丰", "佳禾", "古越", "天宁", "鹭岛", "海滨", "春城", "丝路", "黔南",
    "华信", "宏达", "永盛", "汇通", "博远", "嘉诚", "鼎盛", "联创", "中联", "万达",
    "新世纪", "长江", "黄河", "泰山", "明珠", "光明", "富源", "兴业", "和信", "安泰",
];
#[rustfmt::skip]
const ZH_TRADES: &[&str] = &[
    "贸易", "物流", "电子", "食品", "机械", "医药", "服装", "家居", "建材", "化工",
    "纺织", "汽配", "包装", "印刷", "五金", "农业", "科技", "供应链", "进出口", "仓储",
];
const ZH_FORMS: &[&str] = &[
    "有限公司",
    "有限公司",
    "股份有限公司",
    "集团有限公司",
    "商行",
];
#[rustfmt::skip]
const ZH_SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
    "郭", "何", "林", "罗", "高", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
];
#[rustfmt::skip]
const ZH_GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
    "明", "超", "秀英", "霞", "平", "刚", "桂英", "建华", "志强", "晓东", "海燕", "文博",
    "子涵", "浩然", "雨桐", "思远", "佳怡",
];
#[rustfmt::skip]
const RU_ADJECTIVES: &[&str] = &[
    "Северный", "Уральский", "Сибирский", "Волжский", "Новый", "Быстрый", "Надёжный",
    "Торговый", "Восточный", "Западный", "Первый", "Главный", "Технический", "Складской",
    "Южный", "Балтийский",
];
#[rustfmt::skip]
const RU_NOUNS: &[&str] = &[
    "ветер", "Альянс", "Транзит", "Склад", "Маркет", "Логистик", "Трейд", "Сервис", "Снаб",
    "Терминал", "Путь", "Регион", "Партнёр", "Стандарт", "Ресурс", "Проект",
];
const RU_FORMS: &[&str] = &["ООО", "ООО", "АО", "ЗАО"];
#[rustfmt::skip]
const RU_MEN: &[(&str, &str)] = &[
    ("Иванов", "Пётр"), ("Смирнов", "Алексей"), ("Кузнецов", "Дмитрий"), ("Попов", "Сергей"),
    ("Васильев", "Андрей"), ("Соколов", "Михаил"), ("Михайлов", "Николай"),
    ("Новиков", "Игорь"), ("Фёдоров", "Владимир"), ("Морозов", "Евгений"), ("Волков", "Олег"),
    ("Лебедев", "Юрий"),
];
#[rustfmt::skip]
const RU_PATRONYMICS: &[&str] = &[
    "Сергеевич", "Александрович", "Иванович", "Петрович", "Николаевич", "Викторович",
];
#[rustfmt::skip]
const EN_WORDS: &[&str] = &[
    "Acme", "Bluebell", "Harbor", "Kestrel", "Pinecrest", "Brightwater", "Maple", "Silverline",
    "Oakridge", "Northgate", "Redwood", "Greenfield", "Lumen", "Summit", "Riverside",
    "Ironbridge", "Westfield", "Copperleaf", "Highland", "Seaview", "Stonegate", "Foxglove",
    "Blackwood", "Clearwater",
];
#[rustfmt::skip]
const EN_TRADES: &[&str] = &[
    "Logistics", "Foods", "Trading", "Retail", "Hardware", "Electronics", "Freight", "Supplies",
    "Imports", "Hotels", "Pharmacy", "Outdoor", "Distribution", "Packaging",
];
const EN_FORMS: &[&str] = &["Ltd.", "Inc.", "LLC", "Co.", "Group", "Pte. Ltd."];
#[rustfmt::skip]
const EN_FIRST: &[&str] = &[
    "Emily", "James", "Sophie", "Oliver", "Charlotte", "Harry", "Amelia", "Jack", "Mia", "Noah",
    "Grace", "Liam", "Ava", "Ethan", "Chloe", "Lucas", "Mei Ling", "Wei Jie", "Priya", "Arjun",
];
#[rustfmt::skip]
const EN_LAST: &[&str] = &[
    "Carter", "O'Brien", "Martin", "Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans",
    "Thomas", "Roberts", "Walker", "Wright", "Tan", "Lim", "Ng", "Patel", "Shah", "Hughes",
    "Clarke",
];

/// What the words of a language say: summaries per kind, products, titles.
struct Words {
    owners: &'static [&'static str],
    call: &'static [&'static str],
    email: &'static [&'static str],
    meeting: &'static [&'static str],
    visit: &'static [&'static str],
    message: &'static str,
    support: &'static [&'static str],
    complaint: &'static [&'static str],
    feedback: &'static str,
    care: &'static str,
    note: &'static str,
    demo: &'static str,
    training: &'static str,
    purchase: &'static str,
    deposit: &'static str,
    payment: &'static str,
    refund: &'static str,
    products: &'static [&'static str],
    payments: &'static [&'static str],
    hobbies: &'static [&'static str],
    follow_up: &'static [&'static str],
}

#[rustfmt::skip]
const ZH: Words = Words {
    owners: &["li.wei", "wang.fang", "zhang.min", "chen.hao", "liu.yang"],
    call: &["电话沟通补货计划", "电话确认发货时间", "电话跟进报价反馈", "电话回访设备使用情况"],
    email: &["发送产品目录和价格表", "邮件确认订单明细", "发送发票和装箱单"],
    meeting: &["季度业务回顾会议", "视频会议演示新版系统"],
    visit: &["上门拜访仓库负责人", "现场勘察新仓库"],
    message: "微信确认到货",
    support: &["远程排查扫描枪连接问题", "现场更换打印头", "手持终端电池更换"],
    complaint: &["投诉发货延迟", "投诉标签打印模糊"],
    feedback: "满意度回访",
    care: "中秋节送月饼礼盒",
    note: "预算周期在每年三月",
    demo: "现场演示系统",
    training: "仓库员工系统培训",
    purchase: "补货订单",
    deposit: "收到预付款",
    payment: "收到项目尾款",
    refund: "退回损坏的设备",
    products: &["条码标签", "碳带", "手持终端", "条码打印机", "RFID 标签", "备件", "年度维保"],
    payments: &["bank-transfer", "alipay", "wechat-pay"],
    hobbies: &["高尔夫", "茶道", "钓鱼", "书法", "羽毛球", "摄影"],
    follow_up: &["跟进报价", "寄送样品", "确认合同条款", "安排上门演示"],
};

#[rustfmt::skip]
const RU: Words = Words {
    owners: &["anna.petrova", "ivan.sokolov", "olga.kim"],
    call: &["Созвонились по графику поставок", "Обсудили условия оплаты", "Уточнили сроки доставки"],
    email: &["Отправили прайс-лист", "Подтвердили спецификацию заказа"],
    meeting: &["Встреча с директором по логистике", "Видеоконференция по проекту"],
    visit: &["Визит на склад", "Осмотр нового склада"],
    message: "Сообщение в Telegram о доставке",
    support: &["Удалённая настройка терминалов", "Замена печатающей головки"],
    complaint: &["Жалоба на задержку поставки", "Жалоба на качество этикеток"],
    feedback: "Опрос удовлетворённости",
    care: "Поздравили с Новым годом",
    note: "Бюджет утверждают в январе",
    demo: "Демонстрация системы",
    training: "Обучение сотрудников склада",
    purchase: "Заказ на пополнение",
    deposit: "Получена предоплата",
    payment: "Получен окончательный платёж",
    refund: "Возврат бракованной партии",
    products: &["Этикетки", "Красящая лента", "Терминалы сбора данных", "Принтеры этикеток", "Запчасти"],
    payments: &["bank-transfer"],
    hobbies: &["рыбалка", "хоккей", "шахматы", "баня"],
    follow_up: &["Перезвонить по предложению", "Отправить образцы", "Согласовать договор"],
};

#[rustfmt::skip]
const EN: Words = Words {
    owners: &["john.smith", "sarah.lee", "tom.baker"],
    call: &["Call about the restock schedule", "Follow-up on the quote", "Checked delivery dates"],
    email: &["Sent the catalogue and price list", "Confirmed the order details"],
    meeting: &["Quarterly business review", "Video call: project kick-off"],
    visit: &["Site visit to the warehouse", "Visited the new distribution centre"],
    message: "WhatsApp: delivery confirmed",
    support: &["Remote fix for scanner pairing", "Replaced a printer head on site"],
    complaint: &["Complaint: shipment arrived late", "Complaint: labels smudge"],
    feedback: "Satisfaction survey",
    care: "Christmas card and hamper",
    note: "Budget cycle starts in April",
    demo: "Product demo",
    training: "Training for the warehouse staff",
    purchase: "Restock order",
    deposit: "Deposit received",
    payment: "Final payment received",
    refund: "Refund for a damaged shipment",
    products: &["Barcode labels", "Printer ribbons", "Handheld terminals", "Label printers", "Spare parts"],
    payments: &["bank-transfer", "card"],
    hobbies: &["golf", "sailing", "running", "photography"],
    follow_up: &["Follow up on the quote", "Send samples", "Agree the contract terms"],
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Zh => &ZH,
        Lang::Ru => &RU,
        Lang::En => &EN,
    }
}

/// Deal titles: an id stem and the title in each language.
#[rustfmt::skip]
const DEALS: &[(&str, &str, &str, &str)] = &[
    ("wms", "仓储管理系统", "Система управления складом", "Warehouse management system"),
    ("rfid", "RFID 升级", "Переход на RFID", "RFID rollout"),
    ("scanners", "手持终端更新", "Замена терминалов", "Handheld refresh"),
    ("printers", "标签打印机", "Принтеры этикеток", "Label printers"),
    ("sorter", "自动分拣线", "Сортировочная линия", "Sorting line"),
    ("coldchain", "冷链温控", "Контроль холодовой цепи", "Cold-chain sensors"),
];
#[rustfmt::skip]
const LOST_REASONS: &[&str] = &["price", "timing", "no budget", "scope", "went with the incumbent"];
#[rustfmt::skip]
const COMPETITORS: &[&str] = &[
    "Globex", "Initech", "深圳速达科技", "ООО «Логистика Плюс»", "Umbrella Logistics",
];
#[rustfmt::skip]
const SOURCES: &[&str] = &[
    "website", "referral", "trade-show", "cold-call", "exhibition", "wechat-ad",
];
#[rustfmt::skip]
const STAGES: [&str; 8] = [
    "met", "opportunity", "confirmed", "needs", "proposal", "commitment", "acceptance", "paid",
];

// ---------------------------------------------------------------------------
// Days: offsets from the first day of the data, so that arithmetic stays in
// whole numbers.

const SPAN: u64 = 750;

fn first_day() -> Date {
    NaiveDate::from_ymd_opt(2024, 11, 1).expect("a valid date")
}

/// Day `offset` of the data; offsets beyond the span fall on its last day
/// (2026-11-21), never later.
fn day(offset: u64) -> Date {
    first_day() + Days::new(offset.min(SPAN))
}

fn at(offset: u64) -> When {
    When::day(day(offset))
}

// ---------------------------------------------------------------------------
// One customer.

/// What is drawn first, for every customer, before the ids are given: where
/// it lives and what it is called.
struct Plan {
    region: usize,
    person: bool,
    name: String,
}

fn plan(seed: u64, i: usize) -> Plan {
    let mut rng = Rng::stream(seed, i, 0);
    let region = rng.below(REGIONS.len() as u64) as usize;
    let person = rng.chance(25);
    let name = name(&mut rng, &REGIONS[region], person);
    Plan {
        region,
        person,
        name,
    }
}

fn name(rng: &mut Rng, region: &Region, person: bool) -> String {
    match (region.lang, person) {
        (Lang::Zh, false) => format!(
            "{}{}{}{}",
            rng.pick(region.cities),
            rng.pick(ZH_BRANDS),
            rng.pick(ZH_TRADES),
            rng.pick(ZH_FORMS)
        ),
        (Lang::Zh, true) => format!("{}{}", rng.pick(ZH_SURNAMES), rng.pick(ZH_GIVEN)),
        (Lang::Ru, false) => format!(
            "{} «{} {}»",
            rng.pick(RU_FORMS),
            rng.pick(RU_ADJECTIVES),
            rng.pick(RU_NOUNS)
        ),
        (Lang::Ru, true) => {
            let (surname, first) = rng.pick(RU_MEN);
            format!("{surname} {first} {}", rng.pick(RU_PATRONYMICS))
        }
        (Lang::En, false) => format!(
            "{} {} {}",
            rng.pick(EN_WORDS),
            rng.pick(EN_TRADES),
            rng.pick(EN_FORMS)
        ),
        (Lang::En, true) => format!("{} {}", rng.pick(EN_FIRST), rng.pick(EN_LAST)),
    }
}

/// The rest of the record, from the customer's second stream.
fn customer(rng: &mut Rng, plan: &Plan, id: &str) -> Record {
    let region = &REGIONS[plan.region];
    let w = words(region.lang);
    let mut r = Record::new(id, &plan.name);
    r.kind = Some(if plan.person {
        CustomerKind::Person
    } else {
        CustomerKind::Company
    });
    r.owner = Some(rng.pick(w.owners).to_string());
    r.source = Some(rng.pick(SOURCES).to_string());
    r.contact = contact(rng, region, plan.person, id);
    r.profile = profile(rng, w, plan.person);
    let buyer = rng.chance(75);
    // How big a buyer is: most are small, a few are whales.
    let size = rng.heavy(200);
    r.tier = Some(match (buyer, size) {
        (false, _) => Tier::Prospect,
        (true, s) if s >= 40 => Tier::Vip,
        _ => Tier::Regular,
    });
    if rng.chance(50) {
        r.relationship = Some(*rng.pick(&[
            Relationship::Basic,
            Relationship::Reactive,
            Relationship::Accountable,
            Relationship::Proactive,
            Relationship::Partnership,
        ]));
    }
    r.tags = tags(rng, region, size);
    if rng.chance(10) {
        r.acquisition_cost = Some(yuan(rng.between(200, 5000)));
    }
    let owner = r.owner.clone();
    let mut log = Log {
        w,
        by: owner,
        interactions: Vec::new(),
    };
    if buyer {
        purchases(rng, &mut log, size);
    }
    let deals = if buyer {
        [0, 0, 0, 1, 1, 2][rng.below(6) as usize]
    } else {
        [1, 1, 1, 2][rng.below(4) as usize]
    };
    for n in 0..deals {
        let deal = deal(rng, &mut log, region.lang, n, buyer);
        r.deals.push(deal);
    }
    r.tasks = tasks(rng, w);
    r.interactions = log.interactions;
    r
}

fn yuan(amount: u64) -> Money {
    Money::from_cents(i128::from(amount) * 100)
}

fn contact(rng: &mut Rng, region: &Region, person: bool, id: &str) -> Contact {
    let n = |rng: &mut Rng, width: u32| {
        let v = rng.below(10u64.pow(width));
        format!("{v:0width$}", width = width as usize)
    };
    let number = match region.lang {
        Lang::Zh => format!(
            "{} 13{} {} {}",
            region.phone,
            n(rng, 1),
            n(rng, 4),
            n(rng, 4)
        ),
        Lang::Ru => format!(
            "{} 9{} {}-{}-{}",
            region.phone,
            n(rng, 2),
            n(rng, 3),
            n(rng, 2),
            n(rng, 2)
        ),
        Lang::En => format!(
            "{} {} 555 01{}",
            region.phone,
            rng.between(201, 989),
            n(rng, 2)
        ),
    };
    // Ids in Chinese or Cyrillic make poor mail addresses: number them.
    let local = if region.lang == Lang::En {
        id.to_string()
    } else {
        format!("c{}", rng.below(1_000_000))
    };
    let mut c = Contact {
        email: Some(if person {
            format!("{local}@mail.example")
        } else {
            format!("orders@{local}.example")
        }),
        phone: Some(number),
        ..Contact::default()
    };
    if rng.chance(50) {
        c.address = Some(rng.pick(region.cities).to_string());
    }
    if rng.chance(30) {
        let network = match region.lang {
            Lang::Zh => "wechat",
            Lang::Ru => "telegram",
            Lang::En => "linkedin",
        };
        c.social
            .push((network.to_string(), format!("{local}_{}", n(rng, 3))));
        c.preferred = Some(network.to_string());
    } else if rng.chance(30) {
        c.preferred = Some((*rng.pick(&["phone", "email"])).to_string());
    }
    c
}

fn profile(rng: &mut Rng, w: &Words, person: bool) -> Profile {
    let mut p = Profile::default();
    if rng.chance(if person { 60 } else { 25 }) {
        let year = rng.between(1955, 2000) as i32;
        let date =
            NaiveDate::from_yo_opt(year, rng.between(1, 365) as u32).expect("a day of the year");
        p.birthday = Some(if rng.chance(10) {
            YearlyDate::MonthDay {
                month: date.month(),
                day: date.day(),
            }
        } else {
            YearlyDate::Full(date)
        });
    }
    if rng.chance(8) {
        let year = rng.between(2000, 2024) as i32;
        let date =
            NaiveDate::from_yo_opt(year, rng.between(1, 365) as u32).expect("a day of the year");
        p.anniversary = Some(YearlyDate::Full(date));
    }
    if rng.chance(20) {
        p.hobbies.push(rng.pick(w.hobbies).to_string());
    }
    p
}

fn tags(rng: &mut Rng, region: &Region, size: u64) -> Vec<String> {
    let mut tags = vec![if size >= 10 { "wholesale" } else { "retail" }.to_string()];
    tags.push(region.folder.to_string());
    if region.lang != Lang::Zh || rng.chance(10) {
        tags.push("export".to_string());
    }
    tags
}

/// A customer's timeline under construction.
struct Log {
    w: &'static Words,
    by: Option<String>,
    interactions: Vec<Interaction>,
}

impl Log {
    fn add(&mut self, when: When, kind: &str, summary: &str) -> &mut Interaction {
        let mut i = Interaction::new(when, kind);
        i.summary = Some(summary.to_string());
        i.by = self.by.clone();
        self.interactions.push(i);
        self.interactions.last_mut().expect("just pushed")
    }

    /// An ordinary contact on `offset`: a call, an email, a message or, less
    /// often, a meeting, visit, support case or complaint.
    fn contact(&mut self, rng: &mut Rng, offset: u64) {
        let w = self.w;
        let mut when = at(offset);
        let (kind, summary) = match rng.below(20) {
            0..=6 => ("call", *rng.pick(w.call)),
            7..=11 => ("email", *rng.pick(w.email)),
            12..=13 => ("message", w.message),
            14 => ("meeting", *rng.pick(w.meeting)),
            15 => ("visit", *rng.pick(w.visit)),
            16..=17 => ("support", *rng.pick(w.support)),
            18 => ("complaint", *rng.pick(w.complaint)),
            _ => ("note", w.note),
        };
        if matches!(kind, "call" | "meeting") && rng.chance(30) {
            when.time =
                NaiveTime::from_hms_opt(rng.between(8, 18) as u32, 15 * rng.below(4) as u32, 0);
        }
        let i = self.add(when, kind, summary);
        if kind == "support" && rng.chance(40) {
            i.cost = Some(yuan(rng.between(50, 800)));
        }
    }
}

/// Purchases over the customer's active period: a Pareto-shaped count (about
/// four on average for a buyer), amounts scaled by its size, and the contacts
/// around them.
fn purchases(rng: &mut Rng, log: &mut Log, size: u64) {
    let count = rng.heavy(40);
    let first = rng.below(SPAN - 30);
    // Still buying, drifting away, or gone for more than a year.
    let last = match rng.below(20) {
        0..=12 => SPAN - rng.below(45),
        13..=16 => SPAN - rng.between(120, 360),
        _ => SPAN.saturating_sub(rng.between(370, 700)),
    }
    .max(first);
    let base = rng.between(300, 3000);
    let w = log.w;
    for k in 0..count {
        let offset = if count == 1 {
            last
        } else {
            first + (last - first) * k / (count - 1)
        };
        let amount = base * size * rng.between(50, 150) / 100;
        let i = log.add(at(offset), "purchase", w.purchase);
        i.amount = Some(yuan(amount.max(50)));
        i.product = Some(rng.pick(w.products).to_string());
        i.payment = Some(rng.pick(w.payments).to_string());
        if rng.chance(50) {
            let before = offset.saturating_sub(rng.between(1, 10));
            log.contact(rng, before);
        }
    }
    for _ in 0..rng.below(3) {
        let offset = rng.between(first, last);
        log.contact(rng, offset);
    }
    if rng.chance(10) {
        let i = log.add(at(last), "feedback", w.feedback);
        i.rating = Some(rng.between(1, 5) as u8);
    }
    if rng.chance(10) {
        log.add(at(rng.between(first, last)), "care", w.care);
    }
    if rng.chance(2) {
        let i = log.add(at(last), "refund", w.refund);
        i.amount = Some(-yuan(base / 2 + 1));
    }
}

/// The place of `acceptance` in STAGES: reaching it issues an invoice.
const ACCEPTANCE: usize = 6;

/// A deal that went some way down the funnel: open, won (only for buyers:
/// winning logs a payment) or lost.
fn deal(rng: &mut Rng, log: &mut Log, lang: Lang, n: u64, buyer: bool) -> Deal {
    let (stem, zh, ru, en) = rng.pick(DEALS);
    let reached = rng.below(if buyer { 8 } else { 7 }) as usize;
    let days = stage_days(rng, reached);
    // CNY 5,000 to 800,000, most deals small.
    let value =
        (5000 * rng.heavy(160) * rng.between(100, 160) / 100).clamp(5000, 800_000) / 100 * 100;
    let title = match lang {
        Lang::Zh => zh,
        Lang::Ru => ru,
        Lang::En => en,
    };
    let mut deal = Deal {
        id: format!("{stem}-{}-{}", day(days[0]).format("%Y"), n + 1),
        title: Some(title.to_string()),
        value: Some(yuan(value)),
        stage: STAGES[reached].to_string(),
        outcome: Some(Outcome::Open),
        lost_reason: None,
        competitor: None,
        close: None,
        terms: None,
        invoices: Vec::new(),
        history: STAGES
            .iter()
            .zip(&days)
            .map(|(stage, &offset)| entry(Some(stage), None, offset))
            .collect(),
        extra: Extra::new(),
    };
    // Derived from what was drawn, not drawn: the folders of a seed stay as
    // they were before deals had close dates and invoices.
    if reached >= ACCEPTANCE {
        let issued = day(days[ACCEPTANCE]);
        deal.invoices.push(Invoice {
            no: 1,
            date: issued,
            amount: yuan(value),
            due: issued + Days::new(30),
            extra: Extra::new(),
        });
    }
    if reached == STAGES.len() - 1 {
        win(rng, log, &mut deal, value, &days);
    } else if rng.chance(45) {
        lose(rng, &mut deal, days[reached]);
    }
    if deal.is_open() {
        deal.close = Some(first_day() + Days::new(days[reached] + 20 + value / 100 % 150));
    }
    if reached >= 3 && rng.chance(30) {
        let (kind, summary) = if rng.chance(50) {
            ("demo", log.w.demo)
        } else {
            ("training", log.w.training)
        };
        let i = log.add(at(days[3]), kind, summary);
        i.deal = Some(deal.id.clone());
    }
    log.contact(rng, days[0]);
    deal
}

/// The day each stage up to `reached` was reached, leaving two months
/// before the data ends for the deal to close.
fn stage_days(rng: &mut Rng, reached: usize) -> Vec<u64> {
    let gaps: Vec<u64> = (0..reached).map(|_| rng.between(3, 40)).collect();
    let length = gaps.iter().sum::<u64>() + 60;
    let mut offset = rng.below(SPAN - length);
    let mut days = vec![offset];
    for gap in gaps {
        offset += gap;
        days.push(offset);
    }
    days
}

/// Wins a deal that reached `paid`, logging what winning logs: a payment of
/// the value less what was already paid on the deal (a deposit at
/// commitment, for some).
fn win(rng: &mut Rng, log: &mut Log, deal: &mut Deal, value: u64, days: &[u64]) {
    let paid_on = days[days.len() - 1];
    deal.outcome = Some(Outcome::Won);
    deal.history.push(entry(None, Some(Outcome::Won), paid_on));
    let w = log.w;
    let deposit = if rng.chance(30) { value * 3 / 10 } else { 0 };
    for (offset, amount, summary) in [
        (days[5], deposit, w.deposit),
        (paid_on, value - deposit, w.payment),
    ] {
        if amount > 0 {
            let i = log.add(at(offset), "payment", summary);
            i.amount = Some(yuan(amount));
            i.deal = Some(deal.id.clone());
            i.payment = Some("bank-transfer".to_string());
        }
    }
}

fn lose(rng: &mut Rng, deal: &mut Deal, at_stage_since: u64) {
    deal.outcome = Some(Outcome::Lost);
    let on = at_stage_since + rng.between(5, 60);
    deal.history.push(entry(None, Some(Outcome::Lost), on));
    deal.lost_reason = Some(rng.pick(LOST_REASONS).to_string());
    if rng.chance(60) {
        deal.competitor = Some(rng.pick(COMPETITORS).to_string());
    }
}

fn entry(stage: Option<&str>, outcome: Option<Outcome>, offset: u64) -> HistoryEntry {
    HistoryEntry {
        stage: stage.map(str::to_string),
        outcome,
        date: day(offset),
        extra: Extra::new(),
    }
}

/// Follow-ups: most done, some overdue, some due in the days after the data
/// ends.
fn tasks(rng: &mut Rng, w: &Words) -> Vec<Task> {
    let count = [0, 0, 0, 1, 1, 2][rng.below(6) as usize];
    (0..count)
        .map(|_| {
            let due = rng.between(SPAN - 300, SPAN + 30);
            let done = (due + 7 < SPAN && rng.chance(85)).then(|| day(due - rng.below(5)));
            Task {
                number: None,
                due: first_day() + Days::new(due),
                what: rng.pick(w.follow_up).to_string(),
                done,
                extra: Extra::new(),
            }
        })
        .collect()
}
