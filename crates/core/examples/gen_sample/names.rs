//! Plausible Cantonese-area natural village names (all characters in GBK).

use crate::rng::Rng;

const FIRST: &[&str] = &[
    "大", "小", "上", "下", "新", "旧", "东", "西", "南", "北", "石", "黄", "陈", "李", "罗", "梁", "何", "冯", "邓", "高", "长", "白", "龙", "凤", "马", "牛",
    "竹", "松", "莲", "谭", "苏", "江", "林", "杨", "吴", "沙", "水", "田", "禾", "茶", "榕", "荔", "桥", "塘",
];
const SECOND: &[&str] =
    &["村", "屋", "坑", "岗", "塘", "围", "田", "岭", "坪", "洞", "寨", "坑口", "塘边", "山", "埔", "冲", "垌", "湾", "头", "尾", "口", "背", "园", "坳"];

/// A village name not yet in `used`.
pub fn village_name(rng: &mut Rng, used: &mut std::collections::HashSet<String>) -> String {
    for _ in 0..50 {
        let n = format!("{}{}", rng.pick(FIRST), rng.pick(SECOND));
        if used.insert(n.clone()) {
            return n;
        }
    }
    // Rare: all short names taken nearby; add a position word.
    loop {
        let n = format!("{}{}{}", rng.pick(FIRST), rng.pick(FIRST), rng.pick(SECOND));
        if used.insert(n.clone()) {
            return n;
        }
    }
}

/// A register name without its administrative suffix (村民委员会, 街道 …).
pub fn short(name: &str) -> String {
    let mut s = name.to_string();
    for suffix in ["社区居民委员会", "居民委员会", "村民委员会", "居委会", "村委会", "街道", "镇"] {
        if let Some(x) = s.strip_suffix(suffix) {
            s = x.to_string();
            break;
        }
    }
    s
}

/// An operator's short name (移动, 电信, 联通).
pub fn short_op(op: &str) -> &'static str {
    match op {
        "中国移动" => "移动",
        "中国电信" => "电信",
        _ => "联通",
    }
}
