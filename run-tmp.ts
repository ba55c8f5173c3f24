import { dxfExtractor } from './src/extraction/extractors/dxf/dxf.extractor';
(async () => {
  for (const f of process.argv.slice(2)) {
    const r = await dxfExtractor.extract({ filePath: f, filename: f, options: {}, onProgress: () => undefined, signal: new AbortController().signal });
    const m = r.metadata;
    console.log(f, r.success, JSON.stringify({ created: m.created, ext: m.extents, src: m.extents_source, anon: m.anonymous_block_count, blocks: m.block_count, layout: m.layout_block_count, n: m.model_space_entities }));
  }
})();
