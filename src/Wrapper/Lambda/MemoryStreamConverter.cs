using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessChaos.Wrapper.Lambda;

/// <summary>
/// <see cref="MemoryStream"/> as base64, as Lambda's serializers write Kinesis <c>data</c> and DynamoDB binary values.
/// Their converter lives in the serializer's options, not in the function's context, so the wrapper brings its own.
/// </summary>
internal sealed class MemoryStreamConverter : JsonConverter<MemoryStream>
{
    public override MemoryStream? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : new MemoryStream(reader.GetBytesFromBase64());

    public override void Write(Utf8JsonWriter writer, MemoryStream value, JsonSerializerOptions options) =>
        writer.WriteBase64StringValue(value.ToArray());
}
