using SageServe.Runtime.Storage;

namespace SageServe.Runtime.Tests.Storage;

public sealed class StorageNameEscaperTests
{
    [Theory]
    [InlineData("westus", "westus")]
    [InlineData("a-b_C9", "a-b_C9")]
    [InlineData("", "~")]
    [InlineData("a/b", "a~2Fb")]
    [InlineData("..", "~2E~2E")]
    [InlineData("~", "~7E")]
    [InlineData("é", "~C3~A9")]
    [InlineData("a b", "a~20b")]
    public void EscapeSegment_Value_GivesExpected(string value, string expected)
    {
        Assert.Equal(expected, StorageNameEscaper.EscapeSegment(value));
    }

    [Fact]
    public void EscapeSegment_ManyTrickyValues_AreDistinctAndSafe()
    {
        string[] values =
        [
            "", "~", "~~", "~7E", "a", "A", ".", "..", "...", "/", "\\", "a/b", "a~2Fb", "a%2Fb", "%", "\0", "ключ",
            new string('x', 200), new string('x', 201), new string('x', 500), new string('x', 499) + "y", "😀",
        ];

        var escaped = values.Select(StorageNameEscaper.EscapeSegment).ToList();

        Assert.Equal(values.Length, escaped.Distinct(StringComparer.Ordinal).Count());
        Assert.All(escaped, e =>
        {
            Assert.InRange(e.Length, 1, StorageNameEscaper.MaxSegmentLength);
            Assert.Matches("^[A-Za-z0-9_~-]+$", e);
        });
    }
}
