using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace CompiledNets.Generator.Tests.Infrastructure;

/// <summary>
/// Home-grown snapshot testing, named like Verify.SourceGenerators so a later switch is a package swap:
/// each generated file is compared with <c>Snapshots/{TestClass}.{TestMethod}#{HintName}.verified.cs</c>
/// beside the test file, whose first line is <c>//HintName: {HintName}</c>. On a mismatch the actual text
/// goes to a <c>.received.cs</c> file beside it (git-ignored) and the test fails at the first differing line.
/// <c>COMPILEDNETS_ACCEPT=1</c> overwrites the verified files instead, except under CI, which must never
/// approve its own output.
/// </summary>
internal static class SnapshotAssert
{
    public const string AcceptVariable = "COMPILEDNETS_ACCEPT";
    public const string ScrubbedVersion = "FIXED_VERSION";

    private const string VerifiedSuffix = ".verified.cs";
    private const string ReceivedSuffix = ".received.cs";

    /// <summary>The generator's version changes with every build number; snapshots must not.</summary>
    private static readonly Regex GeneratedCodeVersion = new(
        @"(GeneratedCode\(\s*""CompiledNets[^""]*""\s*,\s*"")[^""]*("")", RegexOptions.CultureInvariant);

    private static readonly UTF8Encoding Utf8WithoutBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Asserts that <paramref name="files"/> are exactly the verified snapshots of the calling test. The test
    /// class name is taken from the test's file name, so keep one test class per file, named after it.
    /// </summary>
    public static void Matches(IEnumerable<GeneratedFile> files, [CallerFilePath] string testFile = "", [CallerMemberName] string testMethod = "")
    {
        string directory = Path.Combine(Path.GetDirectoryName(testFile) ?? throw new ArgumentException("No caller file path.", nameof(testFile)), "Snapshots");
        string prefix = $"{Path.GetFileNameWithoutExtension(testFile)}.{testMethod}#";
        MatchesIn(directory, prefix, files, AcceptRequested(Environment.GetEnvironmentVariable));
    }

    /// <summary>
    /// Compares <paramref name="files"/> with the snapshots named <paramref name="prefix"/>* in <paramref name="directory"/>;
    /// with <paramref name="accept"/>, makes the snapshots match instead.
    /// </summary>
    internal static void MatchesIn(string directory, string prefix, IEnumerable<GeneratedFile> files, bool accept)
    {
        Directory.CreateDirectory(directory);
        var failures = new List<string>();
        var expectedPaths = new HashSet<string>(StringComparer.Ordinal);
        foreach (GeneratedFile file in files)
        {
            string stem = Path.Combine(directory, prefix + StripExtension(file.HintName));
            string verifiedPath = stem + VerifiedSuffix, receivedPath = stem + ReceivedSuffix;
            expectedPaths.Add(verifiedPath);
            string received = $"//HintName: {file.HintName}\n" + Scrub(Normalize(file.Text));
            string? verified = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;

            if (verified == received)
            {
                File.Delete(receivedPath); // a leftover from an earlier failing run would only mislead
                continue;
            }
            if (accept)
            {
                File.WriteAllText(verifiedPath, received, Utf8WithoutBom);
                File.Delete(receivedPath);
                continue;
            }
            File.WriteAllText(receivedPath, received, Utf8WithoutBom);
            failures.Add(verified is null
                ? $"{Path.GetFileName(verifiedPath)} does not exist; the generated text was written to {Path.GetFileName(receivedPath)}."
                : $"{Path.GetFileName(verifiedPath)} differs from the generated text (written to {Path.GetFileName(receivedPath)}):\n{FirstDifference(verified, received)}");
        }

        // A snapshot the generator no longer produces is a change too (a file renamed or dropped).
        foreach (string stale in Directory.GetFiles(directory, prefix + "*" + VerifiedSuffix).Where(p => !expectedPaths.Contains(p)))
        {
            if (accept)
                File.Delete(stale);
            else
                failures.Add($"{Path.GetFileName(stale)} is no longer generated.");
        }

        if (failures.Count > 0)
        {
            Assert.Fail(string.Join("\n\n", failures)
                + $"\n\nIf the new output is right, rerun the tests with {AcceptVariable}=1 (ignored when CI=true) or copy the received files over the verified ones.");
        }
    }

    /// <summary>The text compared and stored: no byte-order mark, LF line endings.</summary>
    internal static string Normalize(string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF') text = text.Substring(1);
        return text.Replace("\r\n", "\n");
    }

    internal static string Scrub(string text) => GeneratedCodeVersion.Replace(text, "${1}" + ScrubbedVersion + "${2}");

    /// <summary>"line 12:" with the two texts' lines there, or which side ended first.</summary>
    internal static string FirstDifference(string verified, string received, string verifiedLabel = "verified", string receivedLabel = "received")
    {
        string[] expected = verified.Split('\n'), actual = received.Split('\n');
        int line = 0;
        while (line < expected.Length && line < actual.Length && expected[line] == actual[line]) line++;
        string Show(string[] lines) => line < lines.Length ? lines[line] : "<end of file>";
        return $"  line {line + 1}:\n  {verifiedLabel}: {Show(expected)}\n  {receivedLabel}: {Show(actual)}";
    }

    /// <summary><c>COMPILEDNETS_ACCEPT=1</c>, unless <c>CI=true</c>: CI must never approve its own output.</summary>
    internal static bool AcceptRequested(Func<string, string?> environment) =>
        environment(AcceptVariable) == "1"
        && !string.Equals(environment("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>"Samples.MnistNet.g.cs" → "Samples.MnistNet.g", as Verify names the file.</summary>
    private static string StripExtension(string hintName) =>
        hintName.EndsWith(".cs", StringComparison.Ordinal) ? hintName.Substring(0, hintName.Length - 3) : hintName;
}
