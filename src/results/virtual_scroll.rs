//! Virtualised scrolling, shared by the result tables: where a scrolled box is
//! ([`ScrollPosition`]) and which items of a long list it shows ([`visible_range`]), so only
//! the rows and columns in view exist in the DOM.

use std::ops::Range;

use leptos::prelude::*;

/// The scroll offsets and visible width of a scrolled box, as signals the table reads.
#[derive(Debug, Clone, Copy)]
pub struct ScrollPosition {
    /// Pixels scrolled down.
    pub top: RwSignal<f64>,
    /// Pixels scrolled right.
    pub left: RwSignal<f64>,
    /// Visible width in pixels (`initial_width` until the first scroll).
    pub width: RwSignal<f64>,
}

impl ScrollPosition {
    /// A box at the top left, `initial_width` pixels wide.
    pub fn new(initial_width: f64) -> ScrollPosition {
        ScrollPosition {
            top: RwSignal::new(0.0),
            left: RwSignal::new(0.0),
            width: RwSignal::new(initial_width),
        }
    }

    /// Follows a `scroll` event of the box.
    pub fn follow(&self, event: &web_sys::Event) {
        let target: web_sys::Element = event_target(event);
        self.top.set(f64::from(target.scroll_top()));
        self.left.set(f64::from(target.scroll_left()));
        self.width.set(f64::from(target.client_width()));
    }
}

/// The items of `n` that a viewport of `viewport` pixels scrolled to `offset` shows, with
/// `overscan` extra items on each side.
pub fn visible_range(
    offset: f64,
    viewport: f64,
    item: f64,
    n: usize,
    overscan: usize,
) -> Range<usize> {
    if n == 0 || item <= 0.0 {
        return 0..0;
    }
    let first = ((offset.max(0.0) / item).floor() as usize).min(n);
    let count = (viewport.max(0.0) / item).ceil() as usize + 1;
    first.saturating_sub(overscan)..(first + count + overscan).min(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_visible_range_follows_the_scroll_with_overscan() {
        assert_eq!(visible_range(0.0, 100.0, 10.0, 1000, 2), 0..13);
        assert_eq!(visible_range(500.0, 100.0, 10.0, 1000, 2), 48..63);
        assert_eq!(visible_range(9990.0, 100.0, 10.0, 1000, 2), 997..1000);
        assert_eq!(visible_range(0.0, 100.0, 10.0, 0, 2), 0..0);
        assert_eq!(visible_range(-5.0, 100.0, 10.0, 5, 0), 0..5);
    }
}
