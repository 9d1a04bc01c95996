//! Edit distances: the full optimal-string-alignment distance, and a prefix distance over a sorted
//! word list that shares work between words with a common prefix (a trie walk without a trie)

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions) between `a` and
/// `b`: the reference the bounded and prefix versions are tested against
#[cfg(test)]
pub(crate) fn osa_distance(a: &[u8], b: &[u8]) -> usize {
    let width = b.len() + 1;
    let mut before: Vec<usize> = vec![0; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current: Vec<usize> = vec![0; width];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..width {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut value = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                value = value.min(before[j - 2] + 1);
            }
            current[j] = value;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// Optimal-string-alignment distance between `a` and `b` when it is at most `bound`, else `None`
/// (stops as soon as a whole row exceeds the bound)
pub(crate) fn osa_distance_within(a: &[u8], b: &[u8], bound: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > bound {
        return None;
    }
    let width = b.len() + 1;
    let mut before: Vec<usize> = vec![0; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current: Vec<usize> = vec![0; width];
    for i in 1..=a.len() {
        current[0] = i;
        let mut row_min = i;
        for j in 1..width {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut value = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                value = value.min(before[j - 2] + 1);
            }
            current[j] = value;
            row_min = row_min.min(value);
        }
        if row_min > bound {
            return None;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    Some(previous[b.len()]).filter(|&distance| distance <= bound)
}

/// For the sorted, deduplicated `words`, the positions and distances of the words that have a
/// prefix within optimal-string-alignment distance `max` of `query` (the smallest such
/// distance), in word order
///
/// Words are visited in order and the dynamic-programming rows of a common prefix are reused; a
/// prefix whose row is entirely above `max` ends the walk for every word that starts with it.
pub(crate) fn prefix_distances<W: AsRef<str>>(
    words: &[W],
    query: &[u8],
    max: u8,
) -> Vec<(u32, u8)> {
    let mut out = Vec::new();
    let width = query.len() + 1;
    let max = u16::from(max);
    let max_depth = query.len() + usize::from(max);
    // rows[j * width + q] = distance between word[..j] and query[..q]
    let mut rows: Vec<u16> = (0..width).map(to_u16).collect();
    // best[j] = smallest rows[j' * width + query.len()] over j' <= j
    let mut best: Vec<u16> = vec![to_u16(query.len())];
    let mut previous_word: &[u8] = &[];
    let mut index = 0;
    while index < words.len() {
        let word = words[index].as_ref().as_bytes();
        let depth = word.len().min(max_depth);
        let common = common_prefix(previous_word, word)
            .min(best.len() - 1)
            .min(depth);
        rows.truncate((common + 1) * width);
        best.truncate(common + 1);
        let mut pruned_at = None;
        for j in (common + 1)..=depth {
            let letter = word[j - 1];
            let above = (j - 1) * width;
            rows.push(to_u16(j));
            let mut row_min = to_u16(j);
            for q in 1..width {
                let here = j * width + q;
                let cost = u16::from(query[q - 1] != letter);
                let mut value = (rows[above + q] + 1)
                    .min(rows[here - 1] + 1)
                    .min(rows[above + q - 1] + cost);
                if j > 1 && q > 1 && letter == query[q - 2] && word[j - 2] == query[q - 1] {
                    value = value.min(rows[(j - 2) * width + q - 2] + 1);
                }
                rows.push(value);
                row_min = row_min.min(value);
            }
            let last = rows[j * width + query.len()];
            best.push(best[j - 1].min(last));
            if row_min > max {
                pruned_at = Some(j);
                break;
            }
        }
        previous_word = word;
        let distance = best[best.len() - 1];
        let block_end = match pruned_at {
            Some(j) => {
                let prefix = &word[..j];
                index
                    + words[index..]
                        .partition_point(|other| other.as_ref().as_bytes().starts_with(prefix))
            }
            None => index + 1,
        };
        if distance <= max {
            let value = u8::try_from(distance).unwrap_or(u8::MAX);
            out.extend((index..block_end).map(|position| (crate::index::to_u32(position), value)));
        }
        index = block_end.max(index + 1);
    }
    out
}

/// Number of leading bytes `a` and `b` share
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// A small count as u16 (saturating; counts here stay far below the limit)
fn to_u16(value: usize) -> u16 {
    u16::try_from(value).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osa_counts_edits_and_transpositions() {
        assert_eq!(osa_distance(b"liver", b"liver"), 0);
        assert_eq!(osa_distance(b"livr", b"liver"), 1);
        assert_eq!(osa_distance(b"lvier", b"liver"), 1);
        assert_eq!(osa_distance(b"", b"abc"), 3);
        assert_eq!(osa_distance(b"kitten", b"sitting"), 3);
    }

    fn dense(sparse: Vec<(u32, u8)>, len: usize) -> Vec<u8> {
        let mut out = vec![u8::MAX; len];
        for (position, distance) in sparse {
            out[position as usize] = distance;
        }
        out
    }

    fn brute_prefix(word: &str, query: &str) -> usize {
        (0..=word.len())
            .map(|j| osa_distance(&word.as_bytes()[..j], query.as_bytes()))
            .min()
            .unwrap_or(usize::MAX)
    }

    #[test]
    fn prefix_distances_match_brute_force() {
        let mut words = vec![
            "liver",
            "live",
            "lung",
            "lymph",
            "imatinib",
            "imatinibum",
            "heart",
            "hela",
            "helas3",
            "a",
            "ab",
            "abc",
            "abd",
            "b",
            "liv",
        ];
        words.sort_unstable();
        for query in ["livr", "hela", "imatnib", "lng", "x", "abcd", "ba"] {
            for max in 0..3u8 {
                let out = dense(prefix_distances(&words, query.as_bytes(), max), words.len());
                for (word, got) in words.iter().zip(&out) {
                    let want = brute_prefix(word, query);
                    if want <= usize::from(max) {
                        assert_eq!(usize::from(*got), want, "{word} vs {query} max {max}");
                    } else {
                        assert_eq!(*got, u8::MAX, "{word} vs {query} max {max}");
                    }
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn bounded_distance_agrees_with_full(a in "[abc]{0,7}", b in "[abc]{0,7}", bound in 0usize..5) {
            let full = osa_distance(a.as_bytes(), b.as_bytes());
            let bounded = osa_distance_within(a.as_bytes(), b.as_bytes(), bound);
            proptest::prop_assert_eq!(bounded, (full <= bound).then_some(full));
        }

        #[test]
        fn prefix_distances_agree_with_brute_force(
            mut words in proptest::collection::vec("[abc]{0,6}", 0..30),
            query in "[abc]{0,5}",
            max in 0u8..3,
        ) {
            words.sort_unstable();
            words.dedup();
            let out = dense(prefix_distances(&words, query.as_bytes(), max), words.len());
            for (word, got) in words.iter().zip(&out) {
                let want = brute_prefix(word, &query);
                if want <= usize::from(max) {
                    proptest::prop_assert_eq!(usize::from(*got), want);
                } else {
                    proptest::prop_assert_eq!(*got, u8::MAX);
                }
            }
        }
    }
}
