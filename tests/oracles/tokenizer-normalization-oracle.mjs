// Reference Unicode normalization for the tokenizer's NFC/NFD tests: String.prototype.normalize, which is what
// @huggingface/tokenizers' NFC and NFD normalizers call.
//
// Usage: node tests/oracles/tokenizer-normalization-oracle.mjs <strings.json> <response.json>
// strings.json: ["...", ...]; response.json: { "nfc": ["...", ...], "nfd": ["...", ...] }
import fs from "node:fs";

const [requestPath, responsePath] = process.argv.slice(2);
if (!requestPath || !responsePath) {
  console.error("usage: node tokenizer-normalization-oracle.mjs <strings.json> <response.json>");
  process.exit(2);
}

const strings = JSON.parse(fs.readFileSync(requestPath, "utf8"));
fs.writeFileSync(
  responsePath,
  JSON.stringify({ nfc: strings.map((s) => s.normalize("NFC")), nfd: strings.map((s) => s.normalize("NFD")) }),
);
