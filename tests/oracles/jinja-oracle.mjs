// Differential oracle for chat templates: renders a batch of (template, context) cases with @huggingface/jinja,
// the Jinja implementation transformers.js uses. One process per test run:
//   node jinja-oracle.mjs <batch-in.json> <results-out.json>
// batch-in:  { "templates": { "<name>": "<source>" }, "cases": [ { "id": "...", "template": "<name>", "context": { ... } } ] }
// results:   { "results": [ { "id": "...", "ok": true, "text": "..." } | { "id": "...", "ok": false, "stage": "parse"|"render", "error": "..." } ] }
// A rendered text holding a lone surrogate (which JSON readers refuse) comes as "units": [UTF-16 code units] instead of "text".
import { readFileSync, writeFileSync } from "node:fs";
import { Template } from "@huggingface/jinja";

const [inputPath, outputPath] = process.argv.slice(2);
if (!inputPath || !outputPath) {
	console.error("usage: node jinja-oracle.mjs <batch-in.json> <results-out.json>");
	process.exit(2);
}

const batch = JSON.parse(readFileSync(inputPath, "utf8"));
const compiled = new Map();
const results = batch.cases.map(({ id, template, context }) => {
	let parsed = compiled.get(template);
	if (parsed === undefined) {
		try {
			parsed = { template: new Template(batch.templates[template]) };
		} catch (error) {
			parsed = { error: String(error?.message ?? error) };
		}
		compiled.set(template, parsed);
	}
	if (parsed.error !== undefined) {
		return { id, ok: false, stage: "parse", error: parsed.error };
	}
	try {
		const text = parsed.template.render(context);
		return text.isWellFormed()
			? { id, ok: true, text }
			: { id, ok: true, units: Array.from({ length: text.length }, (_, i) => text.charCodeAt(i)) };
	} catch (error) {
		return { id, ok: false, stage: "render", error: String(error?.message ?? error) };
	}
});

writeFileSync(outputPath, JSON.stringify({ results }));
