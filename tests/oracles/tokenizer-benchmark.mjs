// Encode throughput of the reference tokenizer (@huggingface/tokenizers), for tests/Benchmarks.
//
// Usage: node tests/oracles/tokenizer-benchmark.mjs <tokenizer.json> <tokenizer_config.json> <documents.json> <seconds>
// Encodes every document once (first pass, cache cold), then again until <seconds> have passed (at least twice).
// Loading is not timed. Prints { "bytes", "tokens", "firstSeconds", "steadySeconds" } (steady = per pass).
import fs from "node:fs";
import { Tokenizer } from "@huggingface/tokenizers";

const [tokenizerPath, configPath, documentsPath, secondsText] = process.argv.slice(2);
const tokenizer = new Tokenizer(
  JSON.parse(fs.readFileSync(tokenizerPath, "utf8")),
  JSON.parse(fs.readFileSync(configPath, "utf8")),
);
const documents = JSON.parse(fs.readFileSync(documentsPath, "utf8"));
const bytes = documents.reduce((sum, d) => sum + Buffer.byteLength(d, "utf8"), 0);

const encodeAll = () => {
  let tokens = 0;
  for (const document of documents) tokens += tokenizer.encode(document, { add_special_tokens: false }).ids.length;
  return tokens;
};

let start = performance.now();
const tokens = encodeAll();
const firstSeconds = (performance.now() - start) / 1000;

const minimum = Number(secondsText);
let passes = 0;
start = performance.now();
while (passes < 2 || (performance.now() - start) / 1000 < minimum) {
  encodeAll();
  passes++;
}
const steadySeconds = (performance.now() - start) / 1000 / passes;

console.log(JSON.stringify({ bytes, tokens, firstSeconds, steadySeconds }));
