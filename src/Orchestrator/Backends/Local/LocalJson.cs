using System.Text.Json.Serialization;

namespace ServerlessChaos.Orchestrator.Backends.Local;

/// <summary>Source-generated JSON for the embedded backends' state files.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(Dictionary<string, StoredParameter>))]
[JsonSerializable(typeof(Dictionary<string, LocalAlarm>))]
[JsonSerializable(typeof(LocalFisState))]
internal sealed partial class LocalJson : JsonSerializerContext;
