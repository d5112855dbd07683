using System.Reflection;
using HanLex.Analysis;
using HanLex.Lexicon;

namespace HanLex.Models;

/// <summary>
/// The shipped model: segmentation, part-of-speech and entity models trained on People's Daily, January 1998 (the
/// PKU tag set; entities nr, ns, nt). See models/MODEL_CARD.md in the repository for data, accuracy and licence.
/// </summary>
public static class DefaultModel
{
    /// <summary>The model's name, as in models/pku98 of the repository.</summary>
    public const string Name = "pku98";

    /// <summary>Reads the embedded models. Each call loads a fresh copy; load once and share the result.</summary>
    /// <param name="only">The models to load (null: all three); see <see cref="ModelBundle.Load(string, IReadOnlyCollection{ModelTask}, SegmentationMode)"/>.</param>
    /// <param name="mode">Accurate (the cascade) or fast (its six-label screen alone); see <see cref="SegmentationMode"/>.</param>
    public static ModelBundle Load(IReadOnlyCollection<ModelTask>? only = null, SegmentationMode mode = SegmentationMode.Accurate)
    {
        var assembly = typeof(DefaultModel).Assembly;
        return ModelBundle.Load(ModelBundle.Only(task => Read(assembly, task), only), $"{Name}/{ModelTask.Segmentation.FileName()} (embedded)", mode);
    }

    /// <summary>An analyzer over the embedded models (or <paramref name="only"/> some) and the given user dictionaries.</summary>
    public static LexicalAnalyzer LoadAnalyzer(IEnumerable<UserDictionary>? dictionaries = null, IReadOnlyCollection<ModelTask>? only = null,
        SegmentationMode mode = SegmentationMode.Accurate) =>
        new(Load(only, mode), dictionaries);

    private static (byte[] Bytes, string Name)? Read(Assembly assembly, ModelTask task)
    {
        var name = $"{Name}/{task.FileName()}";
        using var stream = assembly.GetManifestResourceStream(name);
        if (stream is null) return null;
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return (bytes, $"{name} (embedded)");
    }
}
