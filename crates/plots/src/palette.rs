//! Colours: a colour-blind-safe categorical palette (Okabe & Ito), a diverging blue-white-red
//! scale (ColorBrewer RdBu ends) and the sequential viridis scale, both safe for colour-blind
//! readers and in greyscale.

/// Okabe-Ito colours, ordered so that the first few are the most distinct on white (yellow
/// last but one).
const CATEGORICAL: [&str; 8] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
];

/// Marker shapes that extend the palette beyond eight groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    Circle,
    Square,
    Triangle,
    Diamond,
}

const SHAPES: [Shape; 4] = [
    Shape::Circle,
    Shape::Square,
    Shape::Triangle,
    Shape::Diamond,
];

/// Colour of a group: the palette repeats every eight groups, each repeat with a new shape.
pub(crate) fn group_colour(group: usize) -> &'static str {
    CATEGORICAL[group % CATEGORICAL.len()]
}

/// Marker shape of a group (circle for the first eight).
pub(crate) fn group_shape(group: usize) -> Shape {
    SHAPES[(group / CATEGORICAL.len()) % SHAPES.len()]
}

/// An RGB colour.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Rgb(f64, f64, f64);

impl Rgb {
    fn mix(self, other: Rgb, t: f64) -> Rgb {
        Rgb(
            self.0 + (other.0 - self.0) * t,
            self.1 + (other.1 - self.1) * t,
            self.2 + (other.2 - self.2) * t,
        )
    }

    fn hex(self) -> String {
        let channel = |x: f64| x.round().clamp(0.0, 255.0) as u8;
        format!(
            "#{:02x}{:02x}{:02x}",
            channel(self.0),
            channel(self.1),
            channel(self.2)
        )
    }
}

/// Colour at `t` in [0, 1] along evenly spaced anchors.
fn along(anchors: &[Rgb], t: f64) -> String {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.5
    };
    let segments = (anchors.len() - 1) as f64;
    let position = t * segments;
    let index = (libm::floor(position) as usize).min(anchors.len() - 2);
    anchors[index]
        .mix(anchors[index + 1], position - index as f64)
        .hex()
}

const DIVERGING: [Rgb; 3] = [
    Rgb(33.0, 102.0, 172.0),
    Rgb(247.0, 247.0, 247.0),
    Rgb(178.0, 24.0, 43.0),
];

const VIRIDIS: [Rgb; 5] = [
    Rgb(68.0, 1.0, 84.0),
    Rgb(59.0, 82.0, 139.0),
    Rgb(33.0, 145.0, 140.0),
    Rgb(94.0, 201.0, 98.0),
    Rgb(253.0, 231.0, 37.0),
];

/// Blue (t = 0) through white (0.5) to red (1).
pub(crate) fn diverging(t: f64) -> String {
    along(&DIVERGING, t)
}

/// Viridis, dark purple (t = 0) to yellow (1).
pub(crate) fn viridis(t: f64) -> String {
    along(&VIRIDIS, t)
}

/// Colour of non-significant or background marks.
pub(crate) const GREY: &str = "#9e9e9e";
/// Colour of axes and text.
pub(crate) const INK: &str = "#222222";
/// Colour of grid lines.
pub(crate) const GRID: &str = "#e6e6e6";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_hit_their_anchors() {
        assert_eq!(diverging(0.0), "#2166ac");
        assert_eq!(diverging(0.5), "#f7f7f7");
        assert_eq!(diverging(1.0), "#b2182b");
        assert_eq!(diverging(7.0), "#b2182b");
        assert_eq!(viridis(0.0), "#440154");
        assert_eq!(viridis(1.0), "#fde725");
        assert_eq!(viridis(f64::NAN), "#21918c");
    }

    #[test]
    fn groups_beyond_the_palette_change_shape() {
        assert_eq!(group_colour(0), group_colour(8));
        assert_eq!(group_shape(0), Shape::Circle);
        assert_eq!(group_shape(8), Shape::Square);
        assert_ne!(group_colour(0), group_colour(1));
    }
}
