//! The two languages of the interface. Texts are keyed by their English wording; a missing
//! translation shows the English text rather than nothing.

/// Interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// 简体中文.
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Chinese for a Chinese system locale (zh, zh-CN, zh_TW …), else English.
    pub fn from_locale(locale: Option<&str>) -> Lang {
        match locale {
            Some(l) if l.to_ascii_lowercase().starts_with("zh") => Lang::Zh,
            _ => Lang::En,
        }
    }

    /// The system's language.
    pub fn system() -> Lang {
        Lang::from_locale(sys_locale::get_locale().as_deref())
    }

    /// `en` translated into this language.
    pub fn tr(self, en: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::Zh => ZH.iter().find(|(e, _)| *e == en).map_or(en, |(_, z)| z),
        }
    }
}

/// English → 简体中文.
const ZH: &[(&str, &str)] = &[
    ("File", "文件"),
    ("New project", "新建项目"),
    ("Open project…", "打开项目…"),
    ("Save project", "保存项目"),
    ("Save project as…", "项目另存为…"),
    ("Recent projects", "最近的项目"),
    ("Add layer…", "添加图层…"),
    ("Open sample county", "打开样例县"),
    ("Quit", "退出"),
    ("Edit", "编辑"),
    ("Undo", "撤销"),
    ("Redo", "重做"),
    ("View", "视图"),
    ("Zoom to full extent", "缩放到全图"),
    ("Zoom to selection", "缩放到所选"),
    ("Zoom to layer", "缩放到图层"),
    ("Attribute table", "属性表"),
    ("Charts", "图表"),
    ("Language", "语言"),
    ("Layers", "图层"),
    ("Targets", "指标"),
    ("Plan", "规划"),
    ("Plan ready", "规划完成"),
    ("Make plan", "生成规划"),
    ("Planning", "规划中"),
    ("Open a project first.", "请先打开项目。"),
    ("Close the gaps", "缺口整治规划"),
    (
        "The cheapest fiber routes, boxes, sites and FWA for the current profile's gaps, checked by analysing again.",
        "为当前指标的缺口规划最省钱的光缆路由、分纤箱、基站和FWA，并重新分析验证。",
    ),
    ("Budget (yuan)", "预算（元）"),
    ("no limit", "不限"),
    ("Fiber", "光纤"),
    ("Sites", "基站"),
    ("FWA", "FWA"),
    ("The budget is an amount of zero or more yuan.", "预算应为不小于零的金额（元）。"),
    ("Cost", "投资"),
    ("works", "项工程"),
    ("Households closed", "整治户数"),
    ("Gaps before → after", "缺口 规划前 → 规划后"),
    ("Left over", "未解决"),
    ("over budget", "超预算"),
    ("unreachable", "无法到达"),
    ("not addressed", "非网络问题"),
    ("refuted", "复核未通过"),
    ("Hide the plan on the map", "地图上隐藏规划"),
    ("The project changed since this plan: plan again to accept works.", "项目已变更：请重新规划后再采纳。"),
    ("Unsaved edits", "未保存的编辑"),
    ("covplan stopped before these edits of the project were saved", "covplan 上次退出前，本项目的以下编辑尚未保存"),
    ("edits", "次编辑"),
    ("The project file changed since these edits were made: check them after recovering.", "这些编辑之后项目文件已被修改：恢复后请核对。"),
    ("Layer files changed since these edits were made", "这些编辑之后以下图层文件已变化"),
    ("Recover", "恢复"),
    ("Discard", "丢弃"),
    ("Accept all", "全部采纳"),
    ("Accept to here", "采纳至此"),
    ("Work", "工程"),
    ("hh", "户"),
    ("Profile", "政策文件"),
    ("Target", "指标"),
    ("Met", "达标"),
    ("Not met", "未达标"),
    ("Unknown", "无法判断"),
    ("met", "达标"),
    ("not met", "未达标"),
    ("unknown", "无法判断"),
    ("Households not met", "未达标户数"),
    ("Share met", "达标比例"),
    ("Gaps", "缺口"),
    ("households", "户"),
    ("Inspector", "属性查看"),
    ("Nothing selected: click a feature on the map.", "未选中：请在地图上点击要素。"),
    ("Verdicts", "判定"),
    ("Evidence", "依据"),
    ("Errors and warnings", "错误与警告"),
    ("Clear", "清除"),
    ("Cancel", "取消"),
    ("Loading project", "正在读取项目"),
    ("Analysing", "正在分析"),
    ("Recomputing", "正在重新计算"),
    ("Path", "路径"),
    ("Open", "打开"),
    ("Add", "添加"),
    ("Type a path (no file dialog is available):", "输入路径（无法打开文件对话框）："),
    ("Visible", "可见"),
    ("Opacity", "不透明度"),
    ("Fill", "填充"),
    ("Stroke", "边线"),
    ("Width", "线宽"),
    ("Point size", "点大小"),
    ("Label", "标注"),
    ("none", "无"),
    ("Up", "上移"),
    ("Down", "下移"),
    ("Style", "样式"),
    ("Filter", "筛选"),
    ("Zoom", "缩放"),
    ("rows", "行"),
    ("What-if", "方案推演"),
    ("Add sector", "新增扇区"),
    ("Move", "移动"),
    ("Delete", "删除"),
    ("Apply", "应用"),
    ("Click on the map to place the new sector.", "在地图上点击以放置新扇区。"),
    ("Click on the map to place the new access point.", "在地图上点击以放置新分纤箱。"),
    ("Add access point", "新增分纤箱"),
    ("Add cable", "新增光缆"),
    ("Cable", "光缆"),
    ("points", "个点"),
    ("Finish", "完成"),
    ("Click on the map to move the sector here.", "在地图上点击以把扇区移到该处。"),
    ("Click on the map to move the access point here.", "在地图上点击以把分纤箱移到该处。"),
    ("Click on the map to add the cable's points, then Finish (Enter).", "在地图上依次点击光缆的各点，然后点“完成”（回车）。"),
    ("Scenario edits", "方案修改"),
    ("No project loaded.", "未加载项目。"),
    ("Households by capability class per township", "各乡镇按接入能力分级的户数"),
    ("RSRP distribution (best server, buildings)", "RSRP 分布（最佳服务小区，建筑）"),
    ("Legend", "图例"),
    ("Theme", "专题"),
    ("Plain", "普通"),
    ("Verdict of the chosen target", "所选指标的判定"),
    ("RSRP (best 4G)", "RSRP（最佳4G）"),
    ("Best server", "最佳服务小区"),
    ("Capability (Mb/s)", "接入能力（Mb/s）"),
    ("Move a point", "移动节点"),
    ("Click the cable point to move.", "点击要移动的光缆节点。"),
    ("Click on the map to move the point here.", "在地图上点击，把节点移到此处。"),
    ("A cable of several parts cannot have its points moved: delete it and draw it again.", "多段光缆不能移动节点：请删除后重新绘制。"),
    ("Coverage grid: RSRP", "覆盖栅格：RSRP"),
    ("Coverage grid: best server", "覆盖栅格：最佳服务小区"),
    ("Coverage grid: Mb/s", "覆盖栅格：速率（Mb/s）"),
    ("Computing the coverage grid", "正在计算覆盖栅格"),
    ("RSRP", "RSRP"),
    ("best server", "最佳服务小区"),
    ("Mb/s per household, busy hour", "忙时每户速率（Mb/s）"),
    ("peak Mb/s", "峰值速率（Mb/s）"),
    ("no signal", "无信号"),
    ("serving sectors", "个服务小区"),
    ("sector", "小区"),
    ("id", "编号"),
    ("name", "名称"),
    ("kind", "类型"),
    ("population", "人口"),
    ("subscribers", "宽带用户数"),
    ("urban_rural_code", "城乡分类代码"),
    ("parent_code", "上级代码"),
    ("township_code", "乡镇代码"),
    ("position", "位置"),
    ("source", "来源"),
    ("floors", "层数"),
    ("height_m", "高度 (m)"),
    ("village", "所属村"),
    ("site", "站名"),
    ("cell", "小区名"),
    ("operator", "运营商"),
    ("tech", "制式"),
    ("band_mhz", "频率 (MHz)"),
    ("bandwidth_mhz", "带宽 (MHz)"),
    ("power_dbm", "功率 (dBm)"),
    ("gain_dbi", "增益 (dBi)"),
    ("azimuth_deg", "方位角 (°)"),
    ("tilt_deg", "下倾角 (°)"),
    ("beamwidth_deg", "波瓣宽度 (°)"),
    ("split", "分光比"),
    ("ports_total", "端口总数"),
    ("ports_used", "已用端口"),
    ("class", "等级"),
    ("code", "代码"),
    ("level", "级别"),
    ("category", "类别"),
    ("rsrp_dbm", "RSRP (dBm)"),
    ("rsrq_db", "RSRQ (dB)"),
    ("sinr_db", "SINR (dB)"),
    ("dl_mbps", "下载速率 (Mbps)"),
    ("ul_mbps", "上传速率 (Mbps)"),
    ("pci", "PCI"),
    ("time", "时间"),
    ("not judged by this profile", "本政策文件不评价此要素"),
    ("Ready", "就绪"),
    ("Project saved", "项目已保存"),
    ("Scenario sector", "方案扇区"),
    ("Print / export map", "打印/导出地图"),
    ("Preview", "预览"),
    ("Export", "导出"),
    ("Exported", "已导出"),
    ("Landscape", "横向"),
    ("Graticule", "经纬网"),
    ("Margins", "页边距"),
    ("Title", "标题"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_picks_the_language_and_missing_texts_fall_back() {
        assert_eq!(Lang::from_locale(Some("zh-CN")), Lang::Zh);
        assert_eq!(Lang::from_locale(Some("zh_TW.UTF-8")), Lang::Zh);
        assert_eq!(Lang::from_locale(Some("en-US")), Lang::En);
        assert_eq!(Lang::from_locale(None), Lang::En);
        assert_eq!(Lang::Zh.tr("Layers"), "图层");
        assert_eq!(Lang::En.tr("Layers"), "Layers");
        assert_eq!(Lang::Zh.tr("no such text"), "no such text");
        let mut keys: Vec<_> = ZH.iter().map(|(e, _)| *e).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), ZH.len(), "a text is translated twice");
    }
}
