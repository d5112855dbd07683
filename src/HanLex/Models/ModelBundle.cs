using HanLex.Perceptron;
using HanLex.Tagging;

namespace HanLex.Models;

/// <summary>
/// The models of one analyzer: segmentation (required), part-of-speech and entities (optional). A model directory
/// holds them as <c>cws.hlm</c>, <c>pos.hlm</c> and <c>ner.hlm</c>. Immutable.
/// </summary>
public sealed record ModelBundle(Segmenter Segmenter, PosTagger? Tagger, EntityRecognizer? Recognizer, ModelInfo Info)
{
    /// <summary><see cref="SegmentationMode.Fast"/> when <see cref="Segmenter"/> is the screen of a model loaded without
    /// its joint model. Such a bundle is not saved: written over its directory, it would replace the joint model.</summary>
    public SegmentationMode Mode { get; init; }

    /// <param name="only">The models to load (null: all there are). Segmentation alone, for instance, starts faster and
    /// takes a third of the memory; an analyzer over it segments but does not tag.</param>
    /// <param name="mode">With <see cref="SegmentationMode.Fast"/>, the six-label screen segments alone.</param>
    public static ModelBundle Load(string directory, IReadOnlyCollection<ModelTask>? only = null, SegmentationMode mode = SegmentationMode.Accurate)
    {
        if (!Directory.Exists(directory))
            throw new ModelFormatException(directory, "no such model directory");
        return Load(Only(task =>
        {
            var path = Path.Combine(directory, task.FileName());
            return File.Exists(path) ? (File.ReadAllBytes(path), path) : null;
        }, only), Path.Combine(directory, ModelTask.Segmentation.FileName()), mode);
    }

    /// <summary><paramref name="open"/> for the tasks in <paramref name="only"/> (all when null), none for the others.</summary>
    public static Func<ModelTask, (byte[] Bytes, string Name)?> Only(Func<ModelTask, (byte[] Bytes, string Name)?> open,
        IReadOnlyCollection<ModelTask>? only)
    {
        if (only is null) return open;
        if (!only.Contains(ModelTask.Segmentation))
            throw new ArgumentException("every analyzer needs its segmentation model", nameof(only));
        if (only.Contains(ModelTask.Entities) && !only.Contains(ModelTask.PartOfSpeech))
            throw new ArgumentException("the entity model needs the part-of-speech model", nameof(only));
        return task => only.Contains(task) || task == ModelTask.Screening ? open(task) : null; // a screen belongs to segmentation
    }

    /// <summary>
    /// Loads the models that <paramref name="open"/> returns (bytes and a name for errors, or null when absent), for
    /// models kept elsewhere than in a directory, such as resources embedded in an assembly. <paramref name="open"/> is
    /// called once per task, for the tasks at once from different threads.
    /// </summary>
    public static ModelBundle Load(Func<ModelTask, (byte[] Bytes, string Name)?> open, string segmentationName,
        SegmentationMode mode = SegmentationMode.Accurate)
    {
        // The tagging models are read and decoded while the segmentation model is read and compiled: load time is the
        // longest, not the sum.
        var tagger = Task.Run(() =>
        {
            if (open(ModelTask.PartOfSpeech) is not { } p) return null;
            var content = ModelFile.Load(p.Bytes, p.Name, ModelTask.PartOfSpeech);
            return new PosTagger(Indexed(content.Model), content.Settled);
        });
        var recognizer = Task.Run(async () =>
        {
            if (open(ModelTask.Entities) is not { } e) return null;
            var content = ModelFile.Load(e.Bytes, e.Name, ModelTask.Entities);
            var model = Indexed(content.Model);
            // Its tag tables need the size of the tag set: built here too, beside the segmentation model's compilation.
            var pos = await tagger;
            if (pos is null) throw new ModelFormatException(e.Name, "an entity model needs a part-of-speech model (pos.hlm) beside it");
            return new EntityRecognizer(model, pos.TagSet.Count, content.Settled);
        });
        // A screen is read and compiled while the model it screens is.
        var screen = Task.Run((Segmenter Segmenter, ModelInfo Info)? () =>
        {
            if (open(ModelTask.Screening) is not { } file) return null;
            var content = ModelFile.Load(file.Bytes, file.Name, ModelTask.Screening);
            return (new Segmenter(content.Model, content.Lexicon), content.Info);
        });
        try
        {
            // Fast: the screen alone, where there is one, and the joint model not even read.
            if (mode == SegmentationMode.Fast && screen.GetAwaiter().GetResult() is { } alone)
                return new ModelBundle(alone.Segmenter, tagger.GetAwaiter().GetResult(), recognizer.GetAwaiter().GetResult(), alone.Info)
                    { Mode = SegmentationMode.Fast };
            var cwsFile = open(ModelTask.Segmentation) ?? throw new ModelFormatException(segmentationName, "no such model file");
            var cws = ModelFile.Load(cwsFile.Bytes, cwsFile.Name, ModelTask.Segmentation);
            var segmenter = new Segmenter(cws.Model, cws.Lexicon, compile: true, () => screen.GetAwaiter().GetResult()?.Segmenter);
            return new ModelBundle(segmenter, tagger.GetAwaiter().GetResult(), recognizer.GetAwaiter().GetResult(), cws.Info);
        }
        finally
        {
            // A failed segmentation load still waits for the others, so no load outlives the call.
            try { Task.WaitAll(tagger, recognizer, screen); } catch (AggregateException) { }
        }
    }

    /// <summary>
    /// The tagging models look every feature up by key: their index is built here, during the load, rather than on the
    /// first call. (The segmentation model is compiled instead and needs no index.)
    /// </summary>
    private static LinearModel Indexed(LinearModel model)
    {
        _ = model.Map;
        return model;
    }

    /// <summary>Writes each model present (or only <paramref name="only"/>), atomically, into <paramref name="directory"/>.</summary>
    public void Save(string directory, string description, IReadOnlyCollection<ModelTask>? only = null)
    {
        if (Mode == SegmentationMode.Fast)
            throw new InvalidOperationException("these models were loaded for fast segmentation, without the joint segmentation model; load them with SegmentationMode.Accurate to save them");
        Directory.CreateDirectory(directory);
        IO.AtomicFile.RemoveStaleIn(directory); // what killed saves and training runs left, whichever file they were writing
        ModelInfo Info(string templates) => new(description, ModelInfo.CurrentVersion, templates, DateTimeOffset.UtcNow);
        bool Wanted(ModelTask task) => only is null || only.Contains(task);
        if (Wanted(ModelTask.Segmentation))
            ModelFile.Save(Path.Combine(directory, ModelTask.Segmentation.FileName()), ModelTask.Segmentation, Segmenter.Model,
            Segmenter.Lexicon, Info(Features.CharFeatures.Templates));
        string screenPath = Path.Combine(directory, ModelTask.Screening.FileName());
        if (Wanted(ModelTask.Segmentation) && Segmenter.Screen is { } screen)
            ModelFile.Save(screenPath, ModelTask.Screening, screen.Model, screen.Lexicon, Info(Features.CharFeatures.Templates));
        else if (Wanted(ModelTask.Segmentation) && File.Exists(screenPath))
            File.Delete(screenPath); // a screen left from an earlier model would screen this one
        if (Tagger is not null && Wanted(ModelTask.PartOfSpeech))
            ModelFile.Save(Path.Combine(directory, ModelTask.PartOfSpeech.FileName()), ModelTask.PartOfSpeech, Tagger.Model, null,
                Info(Features.WordFeatures.Templates), Tagger.Settled);
        if (Recognizer is not null && Wanted(ModelTask.Entities))
            ModelFile.Save(Path.Combine(directory, ModelTask.Entities.FileName()), ModelTask.Entities, Recognizer.Model, null,
                Info(Features.EntityFeatures.Templates), Recognizer.Settled);
    }
}
