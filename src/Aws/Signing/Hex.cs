namespace ServerlessChaos.Aws.Signing;

/// <summary>Lower-case hex, as SigV4 writes hashes (Convert.ToHexStringLower is net9+ only).</summary>
internal static class Hex
{
    public static string Lower(ReadOnlySpan<byte> bytes)
    {
        const string Digits = "0123456789abcdef";
        Span<char> chars = bytes.Length <= 64 ? stackalloc char[bytes.Length * 2] : new char[bytes.Length * 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[2 * i] = Digits[bytes[i] >> 4];
            chars[(2 * i) + 1] = Digits[bytes[i] & 0xF];
        }

        return new string(chars);
    }
}
