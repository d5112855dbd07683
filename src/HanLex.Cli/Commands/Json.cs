using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using HanLex.Training;

namespace HanLex.Cli.Commands;

internal static class Json
{
    /// <summary>Indented, snake_case, with Chinese text written as is rather than as \u escapes. Every type comes from
    /// <see cref="CliJsonContext"/>'s generated metadata, none by reflection: the native (AOT) build has none.</summary>
    public static readonly JsonSerializerOptions Indented = new(CliJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, TypeInfo<T>());

    public static void Serialize<T>(Stream stream, T value) => JsonSerializer.Serialize(stream, value, TypeInfo<T>());

    public static T? Deserialize<T>(string json) => JsonSerializer.Deserialize(json, TypeInfo<T>());

    private static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Indented.GetTypeInfo(typeof(T));
}

/// <summary>What <c>train --json</c> prints.</summary>
internal sealed record TrainSummary(string Model, string Description, double Seconds, IReadOnlyList<ModelFileSize> Files,
    IReadOnlyList<EpochReport> Epochs);

internal sealed record ModelFileSize(string Name, long Bytes);

/// <remarks>The value types listed are those that the commands' <c>Dictionary&lt;string, object&gt;</c> reports hold.</remarks>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(TrainingHistory))]
[JsonSerializable(typeof(TrainSummary))]
[JsonSerializable(typeof(Dictionary<string, object>))]
[JsonSerializable(typeof(Dictionary<string, long>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
