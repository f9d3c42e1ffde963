import SRTensor

/// A 5x7 pixel font for the labels of `preview` (lower case, digits and a little punctuation;
/// upper case is drawn as lower case, anything else as a box), drawn by our own code.
enum LabelFont {
    static let width = 5, height = 7

    /// Rows of each glyph, `#` set.
    static let glyphs: [Character: [String]] = [
        "a": ["     ", "     ", " ### ", "    #", " ####", "#   #", " ####"],
        "b": ["#    ", "#    ", "# ## ", "##  #", "#   #", "#   #", "#### "],
        "c": ["     ", "     ", " ### ", "#    ", "#    ", "#   #", " ### "],
        "d": ["    #", "    #", " ## #", "#  ##", "#   #", "#   #", " ####"],
        "e": ["     ", "     ", " ### ", "#   #", "#####", "#    ", " ### "],
        "f": ["  ## ", " #  #", " #   ", "###  ", " #   ", " #   ", " #   "],
        "g": ["     ", " ####", "#   #", "#   #", " ####", "    #", " ### "],
        "h": ["#    ", "#    ", "# ## ", "##  #", "#   #", "#   #", "#   #"],
        "i": ["  #  ", "     ", " ##  ", "  #  ", "  #  ", "  #  ", " ### "],
        "j": ["   # ", "     ", "  ## ", "   # ", "   # ", "#  # ", " ##  "],
        "k": ["#    ", "#    ", "#  # ", "# #  ", "##   ", "# #  ", "#  # "],
        "l": [" ##  ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "],
        "m": ["     ", "     ", "## # ", "# # #", "# # #", "#   #", "#   #"],
        "n": ["     ", "     ", "# ## ", "##  #", "#   #", "#   #", "#   #"],
        "o": ["     ", "     ", " ### ", "#   #", "#   #", "#   #", " ### "],
        "p": ["     ", "     ", "#### ", "#   #", "#### ", "#    ", "#    "],
        "q": ["     ", "     ", " ## #", "#  ##", " ####", "    #", "    #"],
        "r": ["     ", "     ", "# ## ", "##  #", "#    ", "#    ", "#    "],
        "s": ["     ", "     ", " ####", "#    ", " ### ", "    #", "#### "],
        "t": [" #   ", " #   ", "###  ", " #   ", " #   ", " #  #", "  ## "],
        "u": ["     ", "     ", "#   #", "#   #", "#   #", "#  ##", " ## #"],
        "v": ["     ", "     ", "#   #", "#   #", "#   #", " # # ", "  #  "],
        "w": ["     ", "     ", "#   #", "#   #", "# # #", "# # #", " # # "],
        "x": ["     ", "     ", "#   #", " # # ", "  #  ", " # # ", "#   #"],
        "y": ["     ", "     ", "#   #", "#   #", " ####", "    #", " ### "],
        "z": ["     ", "     ", "#####", "   # ", "  #  ", " #   ", "#####"],
        "0": [" ### ", "#   #", "#  ##", "# # #", "##  #", "#   #", " ### "],
        "1": ["  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "],
        "2": [" ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####"],
        "3": ["#####", "   # ", "  #  ", "   # ", "    #", "#   #", " ### "],
        "4": ["   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # "],
        "5": ["#####", "#    ", "#### ", "    #", "    #", "#   #", " ### "],
        "6": ["  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### "],
        "7": ["#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   "],
        "8": [" ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### "],
        "9": [" ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  "],
        "-": ["     ", "     ", "     ", "#####", "     ", "     ", "     "],
        "_": ["     ", "     ", "     ", "     ", "     ", "     ", "#####"],
        ".": ["     ", "     ", "     ", "     ", "     ", " ##  ", " ##  "],
        ",": ["     ", "     ", "     ", "     ", " ##  ", "  #  ", " #   "],
        ":": ["     ", " ##  ", " ##  ", "     ", " ##  ", " ##  ", "     "],
        "/": ["     ", "    #", "   # ", "  #  ", " #   ", "#    ", "     "],
        "(": ["   # ", "  #  ", " #   ", " #   ", " #   ", "  #  ", "   # "],
        ")": [" #   ", "  #  ", "   # ", "   # ", "   # ", "  #  ", " #   "],
        "+": ["     ", "  #  ", "  #  ", "#####", "  #  ", "  #  ", "     "],
        "=": ["     ", "     ", "#####", "     ", "#####", "     ", "     "],
        "%": ["##   ", "##  #", "   # ", "  #  ", " #   ", "#  ##", "   ##"],
        " ": ["     ", "     ", "     ", "     ", "     ", "     ", "     "],
    ]

    /// The box drawn for a character the font lacks.
    static let missing = ["#####", "#   #", "#   #", "#   #", "#   #", "#   #", "#####"]

    /// Pixels one character advances at `scale` (glyph plus a one-pixel gap).
    static func advance(scale: Int) -> Int { (width + 1) * scale }

    /// Draws `text` into `image` (`1 x 3 x H x W`) with its top left at (`x`, `y`), each font
    /// pixel a `scale` x `scale` square of `color`; stops at `maxWidth` pixels (clipped to the image).
    static func draw(_ text: String, into image: inout Tensor, x: Int, y: Int, scale: Int, color: (Float, Float, Float),
                     maxWidth: Int) {
        let plane = image.h * image.w, values = [color.0, color.1, color.2]
        for (k, ch) in text.lowercased().enumerated() {
            let left = x + k * advance(scale: scale)
            guard left + width * scale <= x + maxWidth else { return }
            let rows = glyphs[ch] ?? missing
            for (r, row) in rows.enumerated() {
                for (c, bit) in row.enumerated() where bit == "#" {
                    for dy in 0..<scale {
                        for dx in 0..<scale {
                            let px = left + c * scale + dx, py = y + r * scale + dy
                            guard px >= 0, py >= 0, px < image.w, py < image.h else { continue }
                            for ch in 0..<min(3, image.c) { image.data[ch * plane + py * image.w + px] = values[ch] }
                        }
                    }
                }
            }
        }
    }
}
