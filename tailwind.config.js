/** @type {import('tailwindcss').Config} */
module.exports = {
  content: ["./views/**/*.templ", "./views/**/*.go", "./web/**/*.go", "./static/app.js"],
  theme: {
    extend: {
      // Three shades of Tailwind's palette darkened so that every text and
      // background pair of the console meets WCAG AA (4.5:1; axe-core in
      // the browser tour checks it):
      //   slate-400 #94a3b8 → #64748b: 2.56 → 4.76:1 on white (hints, group headers)
      //   slate-500 #64748b → #5b6b80: 4.34 → 4.97:1 on slate-100 (subtitles,
      //             breadcrumbs), 4.55 → 5.20:1 on slate-50 (table headers)
      //   sky-600   #0284c7 → #0277b6: white on it 4.10 → 4.86:1 (primary buttons)
      colors: {
        slate: { 400: "#64748b", 500: "#5b6b80" },
        sky: { 600: "#0277b6" },
      },
      fontFamily: {
        sans: ["-apple-system", "BlinkMacSystemFont", "\"PingFang SC\"", "\"Hiragino Sans GB\"", "\"Microsoft YaHei\"", "\"Noto Sans CJK SC\"", "\"Helvetica Neue\"", "Arial", "sans-serif"],
      },
    },
  },
  plugins: [],
};
