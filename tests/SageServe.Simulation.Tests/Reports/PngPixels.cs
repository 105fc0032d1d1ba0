using System.Buffers.Binary;
using System.IO.Compression;

namespace SageServe.Simulation.Tests.Reports;

/// <summary>A minimal PNG decoder (8-bit RGB/RGBA, not interlaced: what Chromium writes) to inspect screenshots.</summary>
internal sealed class PngPixels
{
    private readonly byte[] _pixels;
    private readonly int _channels;

    private PngPixels(int width, int height, int channels, byte[] pixels)
    {
        Width = width;
        Height = height;
        _channels = channels;
        _pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public (byte R, byte G, byte B) this[int x, int y]
    {
        get
        {
            var i = ((y * Width) + x) * _channels;
            return (_pixels[i], _pixels[i + 1], _pixels[i + 2]);
        }
    }

    public static PngPixels Decode(byte[] png)
    {
        ReadOnlySpan<byte> signature = [137, 80, 78, 71, 13, 10, 26, 10];
        Assert.True(png.AsSpan(0, 8).SequenceEqual(signature), "not a PNG");
        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        for (var pos = 8; pos < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            var type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = png.AsSpan(pos + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(8, data[8]); // bit depth
                channels = data[9] switch
                {
                    2 => 3,
                    6 => 4,
                    var other => throw new NotSupportedException($"PNG colour type {other}"),
                };
                Assert.Equal(0, data[12]); // not interlaced
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }

            pos += 12 + length;
        }

        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress))
        {
            z.CopyTo(inflated);
        }

        return new PngPixels(width, height, channels, Unfilter(inflated.ToArray(), width, height, channels));
    }

    private static byte[] Unfilter(byte[] raw, int width, int height, int bpp)
    {
        var stride = width * bpp;
        var output = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var src = (y * (stride + 1)) + 1;
            var row = y * stride;
            for (var x = 0; x < stride; x++)
            {
                int a = x >= bpp ? output[row + x - bpp] : 0;
                int b = y > 0 ? output[row - stride + x] : 0;
                int c = x >= bpp && y > 0 ? output[row - stride + x - bpp] : 0;
                int predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new NotSupportedException($"PNG filter {filter}"),
                };
                output[row + x] = (byte)(raw[src + x] + predictor);
            }
        }

        return output;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
