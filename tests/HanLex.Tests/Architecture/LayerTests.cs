using HanLex.Analysis;
using NetArchTest.Rules;

namespace HanLex.Tests.Architecture;

/// <summary>
/// The library's folders are layers, each a namespace of <c>HanLex.Core</c>, and a layer uses only layers listed
/// before it, as src/HanLex/README.md draws them. Read from the compiled types, so a fully qualified name or a
/// <c>using static</c> counts as much as a <c>using</c>.
/// </summary>
public sealed class LayerTests
{
    /// <summary>Each layer, bottom up, with the layers it may use.</summary>
    private static readonly (string Layer, string[] MayUse)[] Layers =
    [
        ("Text", []),
        ("Corpus", ["Text"]),
        ("IO", []),
        ("Features", ["Text", "Corpus"]),
        ("Perceptron", []),
        ("Lexicon", ["Text", "Corpus", "Features"]),
        ("Tagging", ["Text", "Corpus", "Features", "Perceptron", "Lexicon"]),
        ("Models", ["Text", "Corpus", "IO", "Features", "Perceptron", "Lexicon", "Tagging"]),
        ("Evaluation", ["Text", "Corpus"]),
        ("Training", ["Text", "Corpus", "IO", "Features", "Perceptron", "Lexicon", "Tagging", "Models", "Evaluation"]),
        ("Analysis", ["Text", "Corpus", "IO", "Features", "Perceptron", "Lexicon", "Tagging", "Models", "Training"]),
    ];

    public static TheoryData<string> LayerNames() => [.. Layers.Select(l => l.Layer)];

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void A_layer_uses_only_the_layers_it_may_use(string layer)
    {
        var mayUse = Layers.Single(l => l.Layer == layer).MayUse;
        var others = Layers.Select(l => l.Layer).Where(l => l != layer && !mayUse.Contains(l)).Select(l => "HanLex." + l).ToArray();
        var result = Types.InAssembly(typeof(LexicalAnalyzer).Assembly)
            .That().ResideInNamespace("HanLex." + layer)
            .Should().NotHaveDependencyOnAny(others)
            .GetResult();
        Assert.True(result.IsSuccessful,
            $"HanLex.{layer} uses a layer it may not: " + string.Join("; ", result.FailingTypes.Select(t => $"{t.FullName}: {t.Explanation}")));
        Assert.NotEmpty(result.SelectedTypesForTesting);
    }

    [Fact]
    public void The_layers_are_ordered_bottom_up()
    {
        for (int i = 0; i < Layers.Length; i++)
            foreach (var used in Layers[i].MayUse)
                Assert.Contains(used, Layers.Take(i).Select(l => l.Layer));
    }

    [Fact]
    public void Every_type_of_the_library_is_in_a_layer()
    {
        var namespaces = typeof(LexicalAnalyzer).Assembly.GetTypes()
            .Select(t => t.Namespace)
            .Where(n => n is not null && n.StartsWith("HanLex", StringComparison.Ordinal))
            .Distinct()
            .Order(StringComparer.Ordinal);
        Assert.All(namespaces, n => Assert.Contains(n, Layers.Select(l => "HanLex." + l.Layer)));
    }
}
