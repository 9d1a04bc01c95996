//! Structural checks shared by the plot tests: the SVG parses as XML, is accessible, and every
//! drawn element lies inside the view box.

use roxmltree::{Document, Node};

/// Parses the SVG, checks what every plot must have, and returns the parsed document.
pub(crate) fn parse(svg: &str) -> Document<'_> {
    let doc = Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{svg}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("role"), Some("img"));
    let labelled_by = root.attribute("aria-labelledby").unwrap_or_default();
    let ids: Vec<&str> = labelled_by.split(' ').collect();
    assert_eq!(ids.len(), 2, "aria-labelledby names a title and a desc");
    for (id, tag) in ids.iter().zip(["title", "desc"]) {
        let node = doc
            .descendants()
            .find(|n| n.attribute("id") == Some(*id))
            .unwrap_or_else(|| panic!("no element with id {id}"));
        assert_eq!(node.tag_name().name(), tag);
        assert!(
            !node.text().unwrap_or_default().trim().is_empty(),
            "{tag} is empty"
        );
    }
    assert!(doc.descendants().all(|n| n.tag_name().name() != "script"));
    assert!(
        doc.descendants()
            .flat_map(|n| n.attributes())
            .all(|a| !a.name().starts_with("on")),
        "event handler attribute"
    );
    let (width, height) = view_box(&doc);
    for node in doc.descendants().filter(|n| n.is_element()) {
        for (x, y) in anchor_points(&node) {
            assert!(
                (0.0..=width).contains(&x) && (0.0..=height).contains(&y),
                "{} at ({x}, {y}) is outside the view box {width} x {height}",
                node.tag_name().name()
            );
        }
    }
    doc
}

/// Width and height of the view box.
pub(crate) fn view_box(doc: &Document<'_>) -> (f64, f64) {
    let values: Vec<f64> = doc
        .root_element()
        .attribute("viewBox")
        .unwrap_or_default()
        .split(' ')
        .map(|v| v.parse().unwrap_or(f64::NAN))
        .collect();
    assert_eq!(values.len(), 4);
    assert_eq!((values[0], values[1]), (0.0, 0.0));
    (values[2], values[3])
}

/// Positions an element is drawn at (circle centres, rectangle corners, line ends).
fn anchor_points(node: &Node<'_, '_>) -> Vec<(f64, f64)> {
    let number = |name: &str| node.attribute(name).and_then(|v| v.parse::<f64>().ok());
    match node.tag_name().name() {
        "circle" => match (number("cx"), number("cy")) {
            (Some(x), Some(y)) => vec![(x, y)],
            _ => vec![],
        },
        "rect" => match (number("x"), number("y"), number("width"), number("height")) {
            (x, y, Some(w), Some(h)) => {
                let (x, y) = (x.unwrap_or(0.0), y.unwrap_or(0.0));
                vec![(x, y), (x + w, y + h)]
            }
            _ => vec![],
        },
        "line" => match (number("x1"), number("y1"), number("x2"), number("y2")) {
            (Some(x1), Some(y1), Some(x2), Some(y2)) => vec![(x1, y1), (x2, y2)],
            _ => vec![],
        },
        _ => vec![],
    }
}

/// Elements with `class="point"`.
pub(crate) fn points<'a>(doc: &'a Document<'a>) -> Vec<Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| n.attribute("class") == Some("point"))
        .collect()
}

/// The text of an element's `<title>` child.
pub(crate) fn tooltip(node: &Node<'_, '_>) -> String {
    node.children()
        .find(|c| c.tag_name().name() == "title")
        .and_then(|t| t.text())
        .unwrap_or_default()
        .to_owned()
}

/// A root attribute.
pub(crate) fn root_attribute(doc: &Document<'_>, name: &str) -> String {
    doc.root_element()
        .attribute(name)
        .unwrap_or_default()
        .to_owned()
}

/// A label that tries every way out of an SVG text node or attribute.
pub(crate) const HOSTILE: &str = "<script>alert(1)</script>\" onload=\"x' &amp; ]]>";
