namespace HanLex.Models;

/// <summary>The stages a model file can hold.</summary>
public enum ModelTask : byte
{
    Segmentation = 1,
    PartOfSpeech = 2,
    Entities = 3,

    /// <summary>A six-label segmentation model that screens text for a joint one (<see cref="Tagging.Segmenter.Screen"/>).</summary>
    Screening = 4,
}

public static class ModelTasks
{
    public static string Name(this ModelTask task) => task switch
    {
        ModelTask.Segmentation => "cws",
        ModelTask.PartOfSpeech => "pos",
        ModelTask.Entities => "ner",
        ModelTask.Screening => "screen",
        _ => $"unknown({(byte)task})",
    };

    /// <summary>File name of a task's model inside a model directory.</summary>
    public static string FileName(this ModelTask task) => task.Name() + ".hlm";
}
