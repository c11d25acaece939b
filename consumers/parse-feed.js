// What podcast-partytime, the feed parser of Podcast Index, reads from a feed, as JSON:
// node parse-feed.js FEED.xml
"use strict";
process.env.LOG = "silent"; // podcast-partytime logs what it finds to stdout otherwise
const fs = require("fs");
const { parseFeed } = require("podcast-partytime");

const feed = parseFeed(fs.readFileSync(process.argv[2], "utf8"));
if (!feed) {
  console.error(`${process.argv[2]}: podcast-partytime cannot read this feed`);
  process.exit(1);
}
process.stdout.write(JSON.stringify(feed));
