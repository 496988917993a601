// The web form's own behaviour, on top of Decap CMS (README 网页填报). Copied to /admin/ by the site
// build; loaded after decap-cms.js by /admin/index.html, which asks Decap not to start by itself.
//
// 0. The clerk's unit: chosen once from the list (/admin/?unit=<id>), kept in this browser, changed
//    through /admin/?choose. The CMS starts with that unit's collections (config/<unit>.json), so
//    one page, and one OAuth redirect address on the forge, serves every unit.
// 1. What is saved is what `zhixing check` accepts: a field the clerk left empty is left out of the
//    file (the form would otherwise write `location: ''` or `end_date: ''`, which the schema refuses).
// 2. The preview shows the record as the public site's record page does: 类别, 单位, 日期, then
//    记录内容 as a table of Chinese labels and values (是/否, unit names, numbered lists).
(function () {
  "use strict";
  var CMS = window.CMS;
  var h = window.h;
  var body = document.body;
  var units = JSON.parse(body.getAttribute("data-units") || "{}");
  var kindLabels = JSON.parse(body.getAttribute("data-kind-labels") || "{}");
  var dateFields = JSON.parse(body.getAttribute("data-date-fields") || "{}");
  var KEY = "zhixing-cms-unit";
  var params = new URLSearchParams(window.location.search);
  if (params.has("choose")) window.localStorage.removeItem(KEY);
  if (params.get("unit") && Object.prototype.hasOwnProperty.call(units, params.get("unit"))) {
    window.localStorage.setItem(KEY, params.get("unit"));
  }
  var unit = window.localStorage.getItem(KEY);
  if (!unit || !Object.prototype.hasOwnProperty.call(units, unit)) {
    chooseUnit();
    return;
  }
  var unitName = units[unit];

  // The list of units, as plain links: nothing of the CMS starts until a unit is chosen.
  function chooseUnit() {
    var main = document.createElement("main");
    main.className = "zx-admin";
    var title = document.createElement("h1");
    title.textContent = "网页填报 · 请选择本单位";
    var note = document.createElement("p");
    note.textContent = "保存的记录以合并请求提交，经本单位审核人审核、自动检查通过后合并，并在本站公开。" +
      "本浏览器会记住所选单位；换单位请打开 /admin/?choose。填写说明见仓库 README 的“网页填报”一节。";
    var list = document.createElement("ul");
    Object.keys(units).forEach(function (id) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "?unit=" + encodeURIComponent(id);
      link.textContent = units[id];
      item.appendChild(link);
      list.appendChild(item);
    });
    var back = document.createElement("a");
    back.href = "../";
    back.textContent = "返回" + (body.getAttribute("data-site-name") || "网站");
    main.append(title, note, list, back);
    body.appendChild(main);
  }
  // Fields the site's record page does not list in its table (pages.py _SKIP).
  var SKIP = { id: 1, unit: 1, visibility: 1, revisions: 1, withdrawn: 1, approvals: 1 };

  function empty(value) {
    if (value === null || value === undefined) return true;
    if (typeof value === "string") return value.trim() === "";
    if (value && typeof value.toJS === "function") return value.size === 0;  // Immutable Map / List
    if (Array.isArray(value)) return value.length === 0;
    if (typeof value === "object") return Object.keys(value).length === 0;
    return false;
  }

  // Drop empty strings, lists and objects, depth first, so an object left with nothing goes too.
  // The entry's data is an Immutable Map (Decap's); map and filter keep its kind and key order.
  function prune(value) {
    if (value && typeof value.toJS === "function") {
      return value.map(prune).filter(function (v) { return !empty(v); });
    }
    return value;
  }

  CMS.registerEventListener({
    name: "preSave",
    handler: function (args) { return prune(args.entry.get("data")); },
  });

  function optionLabels(field) {
    var out = {};
    (field.options || []).forEach(function (o) {
      if (o && typeof o === "object") out[o.value] = String(o.label).replace(/（[^（）]*）$/, "");
    });
    return out;
  }

  function shown(field, value) {
    if (value === null || value === undefined || value === "") return "";
    if (typeof value === "boolean") return value ? "是" : "否";
    var labels = optionLabels(field);
    if (Array.isArray(value)) {
      if (field.fields && field.fields.length) {
        return value.map(function (v, i) { return (i + 1) + ". " + shown({ fields: field.fields }, v); }).join("\n\n");
      }
      return value.map(function (v) { return labels[v] || String(v); }).join("、");
    }
    if (typeof value === "object") {
      var fields = field.fields || [];
      return fields.filter(function (f) { return !empty(value[f.name]); })
        .map(function (f) { return f.label + "：" + shown(f, value[f.name]); }).join("\n");
    }
    return labels[value] || String(value);
  }

  var Preview = window.createClass({
    render: function () {
      var data = prune(this.props.entry.get("data")).toJS();
      var collection = this.props.collection.toJS();
      var fields = collection.fields || [];
      var folder = String(collection.folder || "").split("/").pop();
      var dateField = dateFields[folder] || "date";
      var rows = fields.filter(function (f) { return !SKIP[f.name] && !empty(data[f.name]); }).map(function (f) {
        return h("tr", { key: f.name }, h("td", {}, f.label),
          h("td", { style: { whiteSpace: "pre-line" } }, shown(f, data[f.name])));
      });
      return h("article", { className: "md-typeset zx-cms-preview" },
        h("h1", {}, data.title || data.number || data.id || "（未填标题）"),
        h("p", {}, h("strong", {}, "类别"), "：" + (kindLabels[folder] || collection.label) + "　",
          h("strong", {}, "单位"), "：" + unitName + "　", h("strong", {}, "日期"), "：" + (data[dateField] || "")),
        h("h2", {}, "记录内容"),
        h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, "项目"), h("th", {}, "内容"))), h("tbody", {}, rows)),
        h("p", {}, "数据来源：", h("code", {}, collection.folder + "/" + (data.id || "<编号>") + ".yaml")));
    },
  });

  CMS.registerPreviewStyle("../assets/zhixing.css");
  window.fetch("config/" + encodeURIComponent(unit) + ".json")
    .then(function (response) {
      if (!response.ok) throw new Error("config/" + unit + ".json: " + response.status);
      return response.json();
    })
    .then(function (config) {
      config.collections.forEach(function (c) { CMS.registerPreviewTemplate(c.name, Preview); });
      CMS.init({ config: config });
    })
    .catch(function (error) {
      var p = document.createElement("p");
      p.textContent = "网页填报配置读取失败（" + error.message + "），请联系管理员。";
      body.appendChild(p);
    });
})();
