package io.spineflow.imaging.render;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/** Lays several rendered slices out on a grid, each with a caption, for a quick visual check. */
public final class ContactSheet {
  private static final int GAP = 4;
  private static final int CAPTION = 16;

  private ContactSheet() {}

  /**
   * One picture of {@code tiles} in rows of {@code columns}, each cell as large as the largest
   * tile, captioned by the matching entry of {@code captions} (same count; empty strings for none).
   */
  public static BufferedImage compose(
      List<BufferedImage> tiles, List<String> captions, int columns) {
    if (tiles.isEmpty() || tiles.size() != captions.size() || columns < 1) {
      throw new IllegalArgumentException(
          tiles.size() + " tiles, " + captions.size() + " captions, " + columns + " columns");
    }
    int cellWidth = tiles.stream().mapToInt(BufferedImage::getWidth).max().orElseThrow();
    int cellHeight = tiles.stream().mapToInt(BufferedImage::getHeight).max().orElseThrow();
    int cols = Math.min(columns, tiles.size());
    int rows = (tiles.size() + cols - 1) / cols;
    int width = GAP + cols * (cellWidth + GAP);
    int height = GAP + rows * (cellHeight + CAPTION + GAP);
    BufferedImage sheet = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = sheet.createGraphics();
    try {
      g.setColor(new Color(24, 24, 24));
      g.fillRect(0, 0, width, height);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      FontMetrics metrics = g.getFontMetrics();
      for (int t = 0; t < tiles.size(); t++) {
        int x = GAP + (t % cols) * (cellWidth + GAP);
        int y = GAP + (t / cols) * (cellHeight + CAPTION + GAP);
        BufferedImage tile = tiles.get(t);
        g.drawImage(tile, x + (cellWidth - tile.getWidth()) / 2, y, null);
        g.setColor(Color.WHITE);
        g.drawString(captions.get(t), x + 2, y + cellHeight + metrics.getAscent() + 1);
      }
    } finally {
      g.dispose();
    }
    return sheet;
  }
}
