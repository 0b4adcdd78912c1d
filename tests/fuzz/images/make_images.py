#!/usr/bin/env python3
"""Writes the small images the fuzzer and the hostile-input tests point documents at:
valid ones, and broken ones of the kinds that break image libraries. Run it to rebuild
the folder (the files are committed; each is under 1 KB).

  make_images.py [FOLDER]      (default: this script's folder)
"""
import os, struct, sys, zlib

def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

def png(width, height, depth, color, rows, interlace=0, extra=b""):
    ihdr = struct.pack(">IIBBBBB", width, height, depth, color, 0, 0, interlace)
    raw = b"".join(b"\x00" + r for r in rows)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")

# 8x8 RGB, quality 50, written by libjpeg 6.2 (jpeg_set_defaults).
OK_JPG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffdb004300100b0c0e0c0a100e0d0e1211101318281a181616183123251d283a333d3c3933383740485c4e404457453738506d51575f626768673e4d71797064785c656763ffdb0043011112121815182f1a1a2f634238426363636363636363636363636363636363636363636363636363636363636363636363636363636363636363636363636363ffc00011080008000803012200021101031101ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffc4001f0100030101010101010101010000000000000102030405060708090a0bffc400b51100020102040403040705040400010277000102031104052131061241510761711322328108144291a1b1c109233352f0156272d10a162434e125f11718191a262728292a35363738393a434445464748494a535455565758595a636465666768696a737475767778797a82838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae2e3e4e5e6e7e8e9eaf2f3f4f5f6f7f8f9faffda000c03010002110311003f00210ba1692b22a83752fc902f1d7bb63d07f80ef451453ddb05271dbf23ffd9")

def images():
    rgb = [bytes(sum(([x * 60, y * 60, 128] for x in range(4)), [])) for y in range(4)]
    ok_png = png(4, 4, 8, 2, rgb)
    yield "ok.png", ok_png
    yield "ok.jpg", OK_JPG
    # Signature and header right, then a compressed stream that is garbage (bad CRC too).
    yield "corrupt.png", ok_png[:33] + struct.pack(">I", 20) + b"IDAT" + b"\xde\xad\xbe\xef" * 5 + b"\0\0\0\0" + chunk(b"IEND", b"")
    yield "truncated.png", ok_png[: len(ok_png) // 2]
    # Start of image, then noise where the tables should be.
    yield "corrupt.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 2
    yield "truncated.jpg", OK_JPG[: len(OK_JPG) // 2]
    # Interlaced (Adam7) 1x1: libharu 2.3 refuses interlaced PNGs (error 0x1043).
    yield "interlaced.png", png(1, 1, 8, 2, [b"\x10\x20\x30"], interlace=1)
    # 2-bit palette with tRNS: libharu 2.3 reads past its buffer on these (valgrind).
    plte = chunk(b"PLTE", bytes([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]))
    trns = chunk(b"tRNS", bytes([0, 128]))
    yield "palette-trns.png", png(8, 2, 2, 3, [b"\x1b\x1b", b"\xe4\xe4"], extra=plte + trns)
    # A header that claims 60000 x 60000 pixels (about 10 GB once decoded).
    yield "huge.png", png(60000, 60000, 8, 2, [b""])[:33] + chunk(b"IEND", b"")
    yield "not-an-image.png", b"This is text with a .png name.\n"
    yield "empty.jpg", b""

def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    for name, data in images():
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)

if __name__ == "__main__":
    main()
