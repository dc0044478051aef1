import { createApp } from 'vue'
import { createPinia } from 'pinia'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import App from './App.vue'
import { loadConfig } from './config'
import { router } from './router'
import { locale } from './i18n'

document.documentElement.lang = locale.value

loadConfig()
  .then(() => {
    createApp(App).use(createPinia()).use(router).mount('#app')
  })
  .catch((e) => {
    document.getElementById('app')!.textContent = `无法加载配置（config.json）：${e.message}`
  })
