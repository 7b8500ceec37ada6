/// Splits data codewords into Reed–Solomon blocks and interleaves them, so that a burst of
/// damage on the symbol spreads over many blocks instead of exhausting one.
enum BlockInterleaving {
    static func finalCodewords(data: [UInt8], layout: BlockLayout) -> [UInt8] {
        precondition(data.count == layout.dataCodewords, "data does not fill the layout")
        var blocks: [ArraySlice<UInt8>] = []
        blocks.reserveCapacity(layout.blockCount)
        var start = data.startIndex
        for index in 0..<layout.blockCount {
            let length = index < layout.group1Blocks ? layout.group1DataCodewords : layout.group2DataCodewords
            blocks.append(data[start..<(start + length)])
            start += length
        }

        let generator = ReedSolomon.generator(degree: layout.errorCorrectionPerBlock)
        let errorCorrection = blocks.map { ReedSolomon.errorCorrection(for: Array($0), generator: generator) }

        var result: [UInt8] = []
        result.reserveCapacity(layout.totalCodewords)
        let longest = layout.group2Blocks > 0 ? layout.group2DataCodewords : layout.group1DataCodewords
        for column in 0..<longest {
            for block in blocks where column < block.count {
                result.append(block[block.startIndex + column])
            }
        }
        for column in 0..<layout.errorCorrectionPerBlock {
            for block in errorCorrection {
                result.append(block[column])
            }
        }
        return result
    }
}
