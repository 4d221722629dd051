// Reference results for the tokenizer differential tests, from @huggingface/tokenizers.
//
// Usage: node tests/oracles/tokenizer-oracle.mjs <request.json> <response.json>
// request:  { "tokenizer": "<path to tokenizer.json>", "config": "<path to tokenizer_config.json>" | null,
//             "texts": ["...", ...], "idLists": [[1, 2, 3], ...] }
// response: { "texts": [{ "ids": [...], "idsWithoutSpecial": [...], "decoded": "...", "decodedSkipSpecial": "..." }, ...],
//             "idLists": [{ "decoded": "...", "decodedSkipSpecial": "..." }, ...] }
// For each text: encode with and without special tokens, then decode the first id list with and without skipping
// special tokens. For each id list: decode it both ways. The reference refuses to decode an empty list; that is "".
import fs from "node:fs";
import { Tokenizer } from "@huggingface/tokenizers";

const [requestPath, responsePath] = process.argv.slice(2);
if (!requestPath || !responsePath) {
  console.error("usage: node tokenizer-oracle.mjs <request.json> <response.json>");
  process.exit(2);
}

const request = JSON.parse(fs.readFileSync(requestPath, "utf8"));
const tokenizerJson = JSON.parse(fs.readFileSync(request.tokenizer, "utf8"));
const config = request.config ? JSON.parse(fs.readFileSync(request.config, "utf8")) : {};
const tokenizer = new Tokenizer(tokenizerJson, config);

const decode = (ids, skip) => (ids.length === 0 ? "" : tokenizer.decode(ids, { skip_special_tokens: skip }));

const texts = (request.texts ?? []).map((text) => {
  const ids = tokenizer.encode(text, { add_special_tokens: true }).ids;
  const idsWithoutSpecial = tokenizer.encode(text, { add_special_tokens: false }).ids;
  return { ids, idsWithoutSpecial, decoded: decode(ids, false), decodedSkipSpecial: decode(ids, true) };
});
const idLists = (request.idLists ?? []).map((ids) => ({ decoded: decode(ids, false), decodedSkipSpecial: decode(ids, true) }));

fs.writeFileSync(responsePath, JSON.stringify({ texts, idLists }));
