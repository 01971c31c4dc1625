/** @type {import('tailwindcss').Config} */
module.exports = {
  content: ["./views/**/*.templ", "./views/**/*.go", "./web/**/*.go", "./static/app.js"],
  theme: {
    extend: {
      fontFamily: {
        sans: ["-apple-system", "BlinkMacSystemFont", "\"PingFang SC\"", "\"Hiragino Sans GB\"", "\"Microsoft YaHei\"", "\"Noto Sans CJK SC\"", "\"Helvetica Neue\"", "Arial", "sans-serif"],
      },
    },
  },
  plugins: [],
};
