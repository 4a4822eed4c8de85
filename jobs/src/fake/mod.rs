//! A generated Drive folder tree and wiki space, served by the fake server.
