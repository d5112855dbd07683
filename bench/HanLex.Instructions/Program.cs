using HanLex.Analysis;
using HanLex.Benchmarks;
using HanLex.Models;

// The hot paths over a text, PASSES times and untimed, for bench/instructions.sh to count under callgrind: word ranges
// a line at a time, as `hanlex segment` runs them, or analysis in the CLI's batches of 64K characters.
// usage: HanLex.Instructions RAW_TEXT PASSES ranges|analyze MODEL_DIR
if (args.Length != 4 || !int.TryParse(args[1], out int passes) || args[2] is not ("ranges" or "analyze"))
{
    Console.Error.WriteLine("usage: HanLex.Instructions RAW_TEXT PASSES ranges|analyze MODEL_DIR");
    return 2;
}
bool analyze = args[2] == "analyze";
var analyzer = new LexicalAnalyzer(ModelBundle.Load(args[3], analyze ? null : [ModelTask.Segmentation]));
var lines = File.ReadAllLines(args[0]).Where(l => l.Length > 0).ToArray();
var batches = Batches.OfChars(lines, Batches.CliChars);
var ranges = new Range[lines.Max(l => l.Length)];
long words = 0;
for (int pass = 0; pass < passes; pass++)
{
    if (analyze) foreach (var batch in batches) words += analyzer.Analyze(batch).Sum(s => s.Words.Count);
    else foreach (var line in lines) words += analyzer.Segment(line, ranges);
}
Console.WriteLine($"characters {lines.Sum(l => (long)l.Length)} words {words}");
return 0;
