using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace ServerlessChaos.Wrapper.Tests.Package;

/// <summary>What a package's assembly file is: plain IL or ReadyToRun, for which machine, which assembly and types.</summary>
internal sealed record PortableExecutable(bool IsReadyToRun, Machine Machine, string Identity, string[] Types)
{
    /// <summary>A ReadyToRun image for Linux marks its x86_64 machine type with the Linux value (AMD64 xor 0x7B79).</summary>
    public static readonly Machine LinuxX64 = (Machine)((ushort)Machine.Amd64 ^ 0x7B79);

    public static PortableExecutable Read(byte[] image)
    {
        using var reader = new PEReader(new MemoryStream(image));
        var metadata = reader.GetMetadataReader();
        var corHeader = reader.PEHeaders.CorHeader!;
        var assembly = metadata.GetAssemblyDefinition();
        var types = metadata.TypeDefinitions
            .Select(handle => metadata.GetTypeDefinition(handle))
            .Select(type => metadata.GetString(type.Namespace) + "." + metadata.GetString(type.Name))
            .Order(StringComparer.Ordinal)
            .ToArray();

        // ReadyToRun code is found through the managed native header; a plain IL assembly has none.
        return new PortableExecutable(
            corHeader.ManagedNativeHeaderDirectory.Size > 0,
            reader.PEHeaders.CoffHeader.Machine,
            $"{metadata.GetString(assembly.Name)} {assembly.Version}",
            types);
    }
}
