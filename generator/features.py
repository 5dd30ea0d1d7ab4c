"""Optional parts of a build (campaign pages, honour rolls, feeds, search…) plug in here.

A feature is an object with any of these methods; the pipeline calls each at its stage:

- `kinds`: source kinds it reads (see sources.SOURCE_KINDS), with `read(source, ctx)`
  returning `(document | None, diagnostics)`;
- `check(docs, ctx)` -> diagnostics across documents;
- `extend(model, docs, ctx)` -> a value stored as `model.extras[feature.name]`;
- `plan(views)` -> RenderJobs; `files(views)` -> OutputFiles (feeds, sitemap, indexes);
- `home(views)` -> a dict of the home page's view data it fills (`campaigns`, `honour_rolls`);
- `finish(folder, model, ctx)` -> diagnostics, run on the staged output before it is published.
  It sees the complete output tree and must write only files of its own (they are recognised as
  its products). It runs only when its inputs changed since the last build into that folder:
  by default every source, the config and every output file; a feature may narrow this with
  `finish_inputs(model, ctx)` -> a picklable value that changes whenever its products would
  (see incremental.finish_key). `serve` runs it after the pages are published (deferred).
  `finish_reads`: the output path prefixes it reads (default: all); only those published files
  are linked into the folder it is given, which makes an incremental build much cheaper.
- `finish_steps(model, ctx, produced_digest)` -> a list of `incremental.FinishStep`, instead of
  `finish`: several steps, each with its own key, so an edit re-runs only the steps it touches
  (the search index, one step per part). `produced_digest(prefixes)` digests the output files
  this build produces under those prefixes, for keys of steps that read built pages.
"""
from __future__ import annotations

FEATURES: list = []


def register(feature) -> None:
    if all(f.name != feature.name for f in FEATURES):
        FEATURES.append(feature)


def load_features() -> list:
    """Import the bundled feature modules (each registers itself) and return them in order."""
    import importlib

    order = ("generator.campaigns", "generator.honours", "generator.feeds", "generator.addresses", "generator.search")
    for module in order:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise

    def place(feature) -> int:    # the order above, whichever module another import loaded first
        home = type(feature).__module__
        return next((i for i, name in enumerate(order) if home == name or home.startswith(name + ".")), len(order))
    return sorted(FEATURES, key=place)
