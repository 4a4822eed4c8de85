//! A tolerant reader of a JSON example's shape (which keys, which of them objects), used to
//! nest the rows of tables whose rendering lost their nesting (the pipe rendering flattens
//! `<md-dt-table>`, DingTalk's text runs rows together). It never fails: comments, trailing
//! commas, `...` and truncation are stepped over; nesting deeper than `MAX_DEPTH` is skipped
//! without recursion; every step consumes input, so it is linear.

/// What a JSON value looks like: objects keep their keys in order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Shape {
    Object(Vec<(String, Shape)>),
    Array(Vec<Shape>),
    Other,
}

const MAX_DEPTH: usize = 64;

impl Shape {
    /// Whether this is an object, or an array holding one (rows may list its keys).
    pub fn is_container(&self) -> bool {
        match self {
            Shape::Object(_) => true,
            Shape::Array(items) => items.iter().any(Shape::is_container),
            Shape::Other => false,
        }
    }

    /// The value of key `name` in this object, or in the first object of this array (of
    /// arrays) that has it: an example's array items may each show different keys.
    pub fn get(&self, name: &str) -> Option<&Shape> {
        match self {
            Shape::Object(entries) => entries.iter().find(|(k, _)| k == name).map(|(_, v)| v),
            Shape::Array(items) => items.iter().find_map(|i| i.get(name)),
            Shape::Other => None,
        }
    }
}

/// The shape of the first JSON value in `text`; None when it holds no object or array.
pub(crate) fn parse(text: &str) -> Option<Shape> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
    };
    p.skip_space();
    match p.peek()? {
        b'{' | b'[' => Some(p.value(0)),
        _ => None,
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn skip_space(&mut self) {
        while let Some(b) = self.peek() {
            if b.is_ascii_whitespace() {
                self.i += 1;
            } else if b == b'/' && self.s.get(self.i + 1) == Some(&b'/') {
                while self.peek().is_some_and(|b| b != b'\n') {
                    self.i += 1;
                }
            } else if b == b'/' && self.s.get(self.i + 1) == Some(&b'*') {
                self.i += 2;
                while self.peek().is_some()
                    && !self.s.get(self.i..).is_some_and(|r| r.starts_with(b"*/"))
                {
                    self.i += 1;
                }
                self.i = (self.i + 2).min(self.s.len());
            } else {
                break;
            }
        }
    }

    fn value(&mut self, depth: usize) -> Shape {
        self.skip_space();
        match self.peek() {
            Some(b'{' | b'[') if depth >= MAX_DEPTH => {
                self.skip_nested();
                Shape::Other
            }
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => {
                self.string();
                Shape::Other
            }
            _ => {
                self.scalar();
                Shape::Other
            }
        }
    }

    fn object(&mut self, depth: usize) -> Shape {
        self.i += 1;
        let mut entries = Vec::new();
        loop {
            self.skip_space();
            let start = self.i;
            match self.peek() {
                None => break,
                Some(b'}') => {
                    self.i += 1;
                    break;
                }
                Some(b',') => {
                    self.i += 1;
                    continue;
                }
                Some(b']') => {
                    // A bracket closing the wrong thing: this object ends too.
                    break;
                }
                _ => {}
            }
            let key = if self.peek() == Some(b'"') {
                self.string()
            } else {
                self.scalar()
            };
            self.skip_space();
            if self.peek() == Some(b':') {
                self.i += 1;
                let value = self.value(depth + 1);
                entries.push((key, value));
            }
            if self.i == start {
                self.i += 1;
            }
        }
        Shape::Object(entries)
    }

    fn array(&mut self, depth: usize) -> Shape {
        self.i += 1;
        let mut items = Vec::new();
        loop {
            self.skip_space();
            let start = self.i;
            match self.peek() {
                None => break,
                Some(b']') => {
                    self.i += 1;
                    break;
                }
                Some(b',') => {
                    self.i += 1;
                    continue;
                }
                Some(b'}') => break,
                _ => items.push(self.value(depth + 1)),
            }
            if self.i == start {
                self.i += 1;
            }
        }
        Shape::Array(items)
    }

    /// A string's text (escapes kept as written: keys have none that matter).
    fn string(&mut self) -> String {
        self.i += 1;
        let start = self.i;
        while let Some(b) = self.peek() {
            match b {
                b'\\' => self.i += 2,
                b'"' => break,
                _ => self.i += 1,
            }
        }
        let end = self.i.min(self.s.len());
        self.i = (self.i + 1).min(self.s.len());
        String::from_utf8_lossy(self.s.get(start..end).unwrap_or_default()).into_owned()
    }

    /// A bare token (number, literal, `...`, an unquoted key) up to a delimiter.
    fn scalar(&mut self) -> String {
        let start = self.i;
        while self
            .peek()
            .is_some_and(|b| !matches!(b, b',' | b'}' | b']' | b':' | b'\n' | b'{' | b'[' | b'"'))
        {
            self.i += 1;
        }
        String::from_utf8_lossy(self.s.get(start..self.i).unwrap_or_default())
            .trim()
            .to_owned()
    }

    /// Steps over a value nested too deep, counting brackets (strings respected).
    fn skip_nested(&mut self) {
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            match b {
                b'"' => {
                    self.string();
                    continue;
                }
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        self.i += 1;
                        return;
                    }
                }
                _ => {}
            }
            self.i += 1;
        }
    }
}

/// Where a JSON value starting at the beginning of `lines[0]` ends: the index of its last
/// line, and whether its brackets closed. Strings are respected across lines.
pub(crate) fn extent<'a>(lines: impl IntoIterator<Item = &'a str>) -> (usize, bool) {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut last = 0;
    for (k, line) in lines.into_iter().enumerate() {
        last = k;
        for b in line.bytes() {
            if in_string {
                match b {
                    _ if escaped => escaped = false,
                    b'\\' => escaped = true,
                    b'"' => in_string = false,
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return (k, true);
                    }
                }
                _ => {}
            }
        }
    }
    (last, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let s = parse(
            r#"{"code":0,"data":{"items":[{"a":1,"b":{"c":"}"}}], "x": ...}, // c
            "e": [1, 2,],}"#,
        )
        .unwrap();
        let data = s.get("data").unwrap();
        assert!(
            data.get("items")
                .unwrap()
                .get("b")
                .unwrap()
                .get("c")
                .is_some()
        );
        assert!(s.get("e").is_some());
        assert!(parse("text").is_none());
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse(&deep).is_some());
        assert!(parse("{\"a\": {\"b\": [").is_some());
    }

    #[test]
    fn extents() {
        assert_eq!(extent(["{", "  \"a\": \"}\",", "}", "x"]), (2, true));
        assert_eq!(extent(["{", "  \"a\": 1"]), (1, false));
    }
}
