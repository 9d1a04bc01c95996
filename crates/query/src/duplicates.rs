//! Finds object keys written twice in query JSON (serde_json keeps only the last one, which
//! would silently drop a condition)

use std::collections::HashSet;

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};

/// Most duplicates recorded (more would exceed any error limit anyway)
const MAX_DUPLICATES: usize = 100;

/// One step of a path into the JSON
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    /// An object key
    Key(String),
    /// A list position
    Index(usize),
}

/// A key that appears twice in one object, and the path of that object
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Duplicate {
    pub(crate) path: Vec<Step>,
    pub(crate) key: String,
}

/// Every duplicated key in `json` (empty when the text is not JSON; parsing reports that)
pub(crate) fn duplicate_keys(json: &str) -> Vec<Duplicate> {
    let mut found = Vec::new();
    let mut path = Vec::new();
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let scan = Scan {
        path: &mut path,
        found: &mut found,
    };
    if scan.deserialize(&mut deserializer).is_err() {
        return Vec::new();
    }
    found
}

/// A deserializer seed that walks any JSON value, recording duplicate keys
struct Scan<'a> {
    path: &'a mut Vec<Step>,
    found: &'a mut Vec<Duplicate>,
}

impl<'de> DeserializeSeed<'de> for Scan<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Scan<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        loop {
            self.path.push(Step::Index(index));
            let more = seq.next_element_seed(Scan {
                path: &mut *self.path,
                found: &mut *self.found,
            })?;
            self.path.pop();
            if more.is_none() {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut keys: HashSet<String> = HashSet::new();
        let mut reported: HashSet<String> = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            let repeated = !keys.insert(key.clone());
            if repeated && self.found.len() < MAX_DUPLICATES && reported.insert(key.clone()) {
                self.found.push(Duplicate {
                    path: self.path.clone(),
                    key: key.clone(),
                });
            }
            self.path.push(Step::Key(key));
            map.next_value_seed(Scan {
                path: &mut *self.path,
                found: &mut *self.found,
            })?;
            self.path.pop();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_duplicates_with_their_paths() {
        let json = r#"{"a": 1, "inputs": [{"metadata": {"sex": "male", "sex": "female"}}, {"n": 1, "n": 2}], "a": 2}"#;
        let found = duplicate_keys(json);
        assert_eq!(
            found,
            vec![
                Duplicate {
                    path: vec![
                        Step::Key("inputs".to_owned()),
                        Step::Index(0),
                        Step::Key("metadata".to_owned())
                    ],
                    key: "sex".to_owned()
                },
                Duplicate {
                    path: vec![Step::Key("inputs".to_owned()), Step::Index(1)],
                    key: "n".to_owned()
                },
                Duplicate {
                    path: vec![],
                    key: "a".to_owned()
                },
            ]
        );
        assert!(duplicate_keys(r#"{"a": {"b": 1}, "c": [1, {"b": 2}]}"#).is_empty());
        assert!(duplicate_keys("{").is_empty());
        let many: Vec<String> = (0..300)
            .flat_map(|n| std::iter::repeat_n(format!("\"k{n}\": 1"), 3))
            .collect();
        let found = duplicate_keys(&format!("{{{}}}", many.join(",")));
        assert_eq!(found.len(), MAX_DUPLICATES);
    }
}
