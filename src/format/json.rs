//! Pretty-printing of JSON records for display (Insights event records, original
//! CloudTrail events). Keys keep their original order: the text is transcoded token
//! by token instead of going through `serde_json::Value`, whose map sorts keys.

/// `text` indented with two spaces, keys in their original order; the text itself
/// when it is not valid JSON (the user still sees what there is).
pub fn pretty_json(text: &str) -> String {
    let mut de = serde_json::Deserializer::from_str(text);
    let mut out = Vec::with_capacity(text.len() * 2);
    let mut ser = serde_json::Serializer::pretty(&mut out);
    if serde_transcode::transcode(&mut de, &mut ser).is_err() || de.end().is_err() {
        return text.to_string();
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_key_order_and_indents() {
        let s = pretty_json(r#"{"zeta":1,"alpha":{"b":[1,2],"a":"x"}}"#);
        assert_eq!(s, "{\n  \"zeta\": 1,\n  \"alpha\": {\n    \"b\": [\n      1,\n      2\n    ],\n    \"a\": \"x\"\n  }\n}");
    }

    #[test]
    fn invalid_json_is_returned_as_is() {
        assert_eq!(pretty_json("{not json"), "{not json");
        assert_eq!(pretty_json("{} trailing"), "{} trailing");
    }
}
