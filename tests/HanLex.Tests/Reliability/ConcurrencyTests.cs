using CsCheck;
using HanLex.Analysis;
using HanLex.Corpus;
using HanLex.Models;
using HanLex.Tests.Analysis;
using HanLex.Tests.Properties;

namespace HanLex.Tests.Reliability;

/// <summary>One analyzer shared by many threads gives what sequential calls give, also while it learns.</summary>
public sealed class ConcurrencyTests
{
    private static readonly Lazy<LexicalAnalyzer> Default = new(() => DefaultModel.LoadAnalyzer());

    [Fact]
    public void Sixteen_threads_on_random_texts_agree_with_sequential_runs()
    {
        var analyzer = Default.Value;
        var generated = new List<string>();
        Gens.Text.Sample(t => { lock (generated) generated.Add(t); }, iter: 2000);
        var texts = generated.ToArray();
        var expected = texts.Select(t => PeopleDailyWriter.Format(analyzer.Analyze(t))).ToArray();
        var actual = new string[texts.Length];
        int next = -1;
        var threads = Enumerable.Range(0, 16).Select(_ => new Thread(() =>
        {
            // Each thread takes texts in the order it gets to them, so calls interleave differently on every run.
            for (int i; (i = Interlocked.Increment(ref next)) < texts.Length * 3;)
            {
                int k = i % texts.Length;
                var result = PeopleDailyWriter.Format(analyzer.Analyze(texts[k]));
                if (i >= texts.Length * 2) actual[k] = result;
                else if (result != expected[k]) actual[k] = "MISMATCH " + result;
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        for (int k = 0; k < texts.Length; k++) Assert.Equal(expected[k], actual[k]);
    }

    [Fact]
    public async Task Learning_while_others_analyze_is_safe_and_takes_effect()
    {
        var analyzer = new LexicalAnalyzer(TinyModel.Models);
        const string taught = "[北京/ns 量子/n 研究院/n]/nt 发布/v 新/a 成果/n"; // tags the tiny model knows
        var sentence = PeopleDailyParser.Parse(taught);
        var texts = TinyModel.Sentences.Select(s => s.Text).Append(sentence.Text).ToArray();
        using var stop = new CancellationTokenSource();
        var errors = new List<Exception>();
        var readers = Enumerable.Range(0, 8).Select(r => Task.Run(() =>
        {
            try
            {
                for (int i = r; !stop.IsCancellationRequested; i++)
                {
                    var text = texts[i % texts.Length];
                    AnalyzerProperties.CheckExact(text, analyzer.Analyze(text));
                }
            }
            catch (Exception e)
            {
                lock (errors) errors.Add(e);
            }
        })).ToArray();
        for (int i = 0; i < 20; i++) analyzer.Learn(sentence);
        stop.Cancel();
        await Task.WhenAll(readers);
        Assert.Empty(errors);
        Assert.Equal(taught, PeopleDailyWriter.Format(analyzer.Analyze(sentence.Text)));
    }
}
